package dev.vireo.engine.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Choosing a compute provider by name: the CPU one is always there; an unknown name is a one-line error naming those found. */
class ComputeProvidersTest {

    @Test
    void findsTheCpuProviderAndNamesTheOnesFoundForAnUnknownName() {
        assertThat(ComputeProviders.find("cpu").name()).isEqualTo("cpu");
        assertThatThrownBy(() -> ComputeProviders.find("tornado"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("-Dvireo.device=tornado: no such compute provider; found [cpu]");
    }

    @Test
    void oneInstancePerNameAndAScopedChoiceForOneCall() {
        ComputeProvider cpu = ComputeProvider.named("cpu");
        assertThat(ComputeProvider.named("cpu")).isSameAs(cpu);
        assertThat(ComputeProvider.statuses()).containsEntry("cpu", null);
        ComputeProvider other = new dev.vireo.engine.autograd.CpuProvider();
        ComputeProvider seen = ComputeProvider.using(other, ComputeProvider::get);
        assertThat(seen).isSameAs(other);
        assertThat(ComputeProvider.get()).as("outside the call, the process-wide choice").isSameAs(cpu);
    }
}
