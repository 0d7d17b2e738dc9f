package dev.vireo.engine.nn;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModuleTest {
    private final Rng rng = new Rng(5);

    @Test
    void stateDictUsesPyTorchDottedNames() {
        TransformerBlock block = new TransformerBlock(rng, 8, 2, 16, Activation.QUICK_GELU);
        assertThat(block.stateDict().keySet()).containsExactly(
                "self_attn.q_proj.weight", "self_attn.q_proj.bias", "self_attn.k_proj.weight", "self_attn.k_proj.bias",
                "self_attn.v_proj.weight", "self_attn.v_proj.bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                "layer_norm1.weight", "layer_norm1.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias",
                "layer_norm2.weight", "layer_norm2.bias");
        ModuleList<Linear> list = new ModuleList<Linear>().add(new Linear(rng, 2, 2, false)).add(new Linear(rng, 2, 3, true));
        assertThat(list.stateDict().keySet()).containsExactly("0.weight", "1.weight", "1.bias");
    }

    @Test
    void loadStateDictStrictAndNonStrict() {
        Linear a = new Linear(rng, 3, 2, true), b = new Linear(rng, 3, 2, true);
        Module.LoadResult r = b.loadStateDict(a.stateDict(), true, true);
        assertThat(r.missing()).isEmpty();
        assertThat(b.weight().value().toArray()).containsExactly(a.weight().value().toArray());

        Map<String, Tensor> partial = new LinkedHashMap<>(a.stateDict());
        partial.remove("bias");
        partial.put("extra", Tensor.zeros(1));
        assertThatThrownBy(() -> b.loadStateDict(partial, true, true))
                .hasMessageContaining("missing keys [bias]").hasMessageContaining("unexpected keys [extra]");
        Module.LoadResult loose = b.loadStateDict(partial, false, true);
        assertThat(loose.missing()).containsExactly("bias");
        assertThat(loose.unexpected()).containsExactly("extra");

        Map<String, Tensor> wrong = Map.of("weight", Tensor.zeros(3, 2), "bias", Tensor.zeros(2));
        assertThatThrownBy(() -> b.loadStateDict(wrong, true, true))
                .hasMessage("parameter weight: checkpoint shape (3, 2) does not match the model's (2, 3)");
    }

    @Test
    void loadWithoutCopyKeepsTheGivenTensor() {
        Linear a = new Linear(rng, 3, 2, false);
        Tensor w = Tensor.ones(2, 3);
        a.loadStateDict(Map.of("weight", w), true, false);
        assertThat(a.weight().value().storage()).isSameAs(w.storage());
    }

    @Test
    void freezeStopsGradientsInASubTree() {
        Mlp mlp = new Mlp(rng, 4, 8, Activation.GELU);
        mlp.fc1().freeze();
        assertThat(mlp.trainableParameters()).hasSize(2);
        Tensor y = mlp.forward(Tensor.randn(rng, 0, 1, 2, 4)).sum();
        y.backward();
        assertThat(mlp.fc1().weight().value().grad()).isNull();
        assertThat(mlp.fc2().weight().value().grad()).isNotNull();
        mlp.unfreeze();
        assertThat(mlp.trainableParameters()).hasSize(4);
    }

    @Test
    void trainAndEvalModesPropagate() {
        Dropout d = new Dropout(0.5f, 1);
        Mlp holder = new Mlp(rng, 2, 2, Activation.RELU);
        holder.eval();
        assertThat(holder.fc1().isTraining()).isFalse();
        d.eval();
        Tensor x = Tensor.ones(100);
        assertThat(d.forward(x).toArray()).containsOnly(1f);
        d.train(true);
        float[] y = d.forward(x).toArray();
        assertThat(y).contains(0f, 2f);
    }
}
