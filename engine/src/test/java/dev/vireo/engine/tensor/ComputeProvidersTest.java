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
}
