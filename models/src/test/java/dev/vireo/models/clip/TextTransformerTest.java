package dev.vireo.models.clip;

import dev.vireo.engine.autograd.CpuProvider;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.TextConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class TextTransformerTest {
    private static final int CONTEXT = 77;

    /** Texts with the end token at {@code ends[b]}, a start token first and zero padding after the end. */
    private static int[] texts(Rng rng, int... ends) {
        int[] ids = new int[ends.length * CONTEXT]; // (B, 77)
        for (int b = 0; b < ends.length; b++) {
            ids[b * CONTEXT] = 49406;
            for (int t = 1; t < ends[b]; t++) ids[b * CONTEXT + t] = 1 + rng.nextInt(49000);
            ids[b * CONTEXT + ends[b]] = TextTransformer.END_OF_TEXT;
        }
        return ids;
    }

    /**
     * The tower runs a batch on the positions up to its last end token; each text's features are the
     * same bits alone, padded to the context or not, as in a batch with longer texts: at every kernel
     * width, with row tiles of the causal attention (past 48 positions) and without.
     */
    @Test
    void aTextsFeaturesHaveTheSameBitsWhateverItsPaddingOrItsBatch() {
        TextConfig config = new TextConfig(CONTEXT, 49408, 64, 2, 2, 4.0, "quick_gelu");
        TextTransformer tower = new TextTransformer(new Rng(3), config);
        int[] ends = {5, 30, 60, 76};
        int[] batch = texts(new Rng(4), ends); // (4, 77)
        for (KernelProvider k : KernelProvider.all()) {
            ComputeProvider.using(new CpuProvider(k), () -> {
                try (var ignored = GradMode.noGrad()) {
                    float[] all = tower.forward(batch, ends.length, CONTEXT).toArray(); // (4, C)
                    float[] firstTwo = tower.forward(Arrays.copyOf(batch, 2 * CONTEXT), 2, CONTEXT).toArray(); // (2, C)
                    assertThat(firstTwo).as(k + ": the two short texts alone").isEqualTo(Arrays.copyOf(all, 2 * 64));
                    for (int b = 0; b < ends.length; b++) {
                        float[] want = Arrays.copyOfRange(all, b * 64, (b + 1) * 64);
                        int[] padded = Arrays.copyOfRange(batch, b * CONTEXT, (b + 1) * CONTEXT);
                        assertThat(tower.forward(padded, 1, CONTEXT).toArray()).as(k + " text " + b + " alone, padded").isEqualTo(want);
                        int[] own = Arrays.copyOf(padded, ends[b] + 1);
                        assertThat(tower.forward(own, 1, own.length).toArray()).as(k + " text " + b + " alone, unpadded").isEqualTo(want);
                    }
                }
                return null;
            });
        }
    }

    /**
     * Positions after a batch's last end token are never computed: NaN in the position table past
     * them does not reach the features (computed, it would, as 0·NaN in the attention's P·V).
     */
    @Test
    void theTowerStopsAtTheBatchsLastEndToken() {
        TextTransformer tower = new TextTransformer(new Rng(5), new TextConfig(CONTEXT, 49408, 64, 2, 2, 4.0, "quick_gelu"));
        Tensor table = tower.namedParameters().get("embeddings.position_embedding.weight").value(); // (77, C)
        Arrays.fill(table.array(), table.offset() + 31 * 64, table.offset() + CONTEXT * 64, Float.NaN);
        try (var ignored = GradMode.noGrad()) {
            float[] features = tower.forward(texts(new Rng(6), 5, 30), 2, CONTEXT).toArray(); // (2, C)
            for (float f : features) assertThat(f).isFinite();
        }
    }
}
