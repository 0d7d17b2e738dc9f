package dev.vireo.engine.autograd;

import dev.vireo.engine.VireoProperties;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.nn.PatchEmbedding;
import dev.vireo.engine.kernel.row.BinaryOp;
import dev.vireo.engine.kernel.row.ScalarMath;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The device seam at tensor level: the CPU provider is found by the service loader, each of its ops
 * at every kernel width equals the reference provider's, and the ops route inference through it.
 */
class CpuProviderTest {
    private static final CpuProvider REFERENCE = new CpuProvider(KernelProvider.scalar());

    /** op on the reference provider and on a CPU provider at every kernel width. */
    private static void assertEveryWidth(String what, Function<ComputeProvider, Tensor> op, double atol, double rtol) {
        float[] want = op.apply(REFERENCE).toArray();
        for (KernelProvider k : KernelProvider.all()) assertAllClose(k + " " + what, want, op.apply(new CpuProvider(k)).toArray(), atol, rtol);
    }

    @Test
    void theServiceLoaderFindsTheCpuProvider() {
        assertThat(ComputeProvider.available()).first().isEqualTo("cpu");
        assertThat(ComputeProvider.get()).isInstanceOf(CpuProvider.class);
        assertThat(ComputeProvider.get().kernels()).isSameAs(KernelProvider.get());
        assertThat(ComputeProvider.get().isAvailable()).isTrue();
    }

    @Test
    void aRegisteredWeightGivesTheSameBitsUntilReleased() {
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 11, 300);   // (B, T, in): k-blocks of 256 and 44
        Tensor w = Tensor.randn(rng, 0f, 0.1f, 70, 300);    // (out, in)
        Tensor b = Tensor.randn(rng, 0f, 1f, 70);           // (out)
        Tensor res = Tensor.randn(rng, 0f, 1f, 2, 11, 70);  // (B, T, out)
        for (KernelProvider k : KernelProvider.all()) {
            CpuProvider p = new CpuProvider(k);
            float[] plain = p.linear(x, w, b, UnaryOp.GELU, res).toArray();
            p.register(List.of(w, b));
            assertThat(p.linear(x, w, b, UnaryOp.GELU, res).toArray()).as(k + " registered, first use").isEqualTo(plain);
            assertThat(p.packedFloats()).as(k + ": the first use multiplies the weight as it is").isZero();
            assertThat(p.linear(x, w, b, UnaryOp.GELU, res).toArray()).as(k + " registered, packed now").isEqualTo(plain);
            boolean packs = !k.gemm().name().startsWith("scalar"); // the scalar reference reads B as it is
            if (packs) assertThat(p.packedFloats()).as(k + ": packed on the second use").isGreaterThanOrEqualTo(70L * 300);
            assertThat(p.linear(x, w, b, UnaryOp.GELU, res).toArray()).as(k + " registered, packed before").isEqualTo(plain);
            assertThat(p.linear(x.narrow(1, 0, 1), w, null, null, null).toArray()).as(k + " one row")
                    .isEqualTo(new CpuProvider(k).linear(x.narrow(1, 0, 1), w, null, null, null).toArray());
            p.release(List.of(w, b));
            assertThat(p.packedFloats()).as(k + ": released").isZero();
            assertThat(p.linear(x, w, b, UnaryOp.GELU, res).toArray()).as(k + " released").isEqualTo(plain);
        }
    }

    @Test
    void withPackingOffARegisteredWeightIsNeverPackedAndGivesTheSameBits() {
        Rng rng = new Rng(6);
        Tensor x = Tensor.randn(rng, 0f, 1f, 3, 300);    // (rows, in): k-blocks of 256 and 44
        Tensor w = Tensor.randn(rng, 0f, 0.1f, 70, 300); // (out, in)
        Tensor b = Tensor.randn(rng, 0f, 1f, 70);        // (out)
        for (KernelProvider k : KernelProvider.all()) {
            float[] packed = new CpuProvider(k, true).linear(x, w, b, UnaryOp.GELU, null).toArray(); // (rows, out)
            CpuProvider p = new CpuProvider(k, false);
            p.register(List.of(w, b));
            for (int use = 1; use <= 3; use++) {
                assertThat(p.linear(x, w, b, UnaryOp.GELU, null).toArray()).as(k + " use " + use).isEqualTo(packed);
            }
            assertThat(p.packedFloats()).as(k + ": never packed").isZero();
        }
    }

    @Test
    void packingIsTurnedOffByAPropertyAndAMisspeltOneIsAClearError() {
        String key = VireoProperties.PACK_WEIGHTS;
        assertThat(VireoProperties.getBoolean(key, true)).isTrue();
        System.setProperty(key, "yes");
        try {
            assertThatThrownBy(() -> new CpuProvider(KernelProvider.scalar())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("-Dvireo.packWeights=yes: expected true or false");
            System.setProperty(key, "False");
            assertThat(VireoProperties.getBoolean(key, true)).isFalse();
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void aRegisteredConvWeightIsPackedThroughItsFlatViewWithTheSameBits() {
        Rng rng = new Rng(8);
        Tensor images = Tensor.randn(rng, 0f, 1f, 2, 3, 64, 64); // (B, 3, H, W): 4×4 patches of 16
        PatchEmbedding embed = new PatchEmbedding(new Rng(9), 3, 16, 40);
        embed.weight().value().requiresGrad(true);
        Tensor trained = embed.forward(images).detach();         // (B, 16, 40): the recorded matmul of training
        embed.weight().value().requiresGrad(false);
        CpuProvider p = (CpuProvider) ComputeProvider.get();     // the one PatchEmbedding multiplies on
        long before = p.packedFloats();
        p.register(List.of(embed.weight().value()));
        try {
            for (int use = 1; use <= 3; use++) {
                assertThat(embed.forward(images).toArray()).as("use " + use).isEqualTo(trained.toArray());
            }
            if (!p.kernels().gemm().name().startsWith("scalar")) {
                assertThat(p.packedFloats() - before).as("the flat view is packed").isGreaterThanOrEqualTo(40L * 3 * 16 * 16);
            }
        } finally {
            p.release(List.of(embed.weight().value()));
        }
        assertThat(p.packedFloats()).as("released").isEqualTo(before);
    }

    @Test
    void registeredWeightsSharingAnInputRunAsOneProductWithTheSameBits() {
        Rng rng = new Rng(6);
        Tensor x = Tensor.randn(rng, 0f, 1f, 1, 21, 300);              // (B, T, in)
        Tensor[] w = {Tensor.randn(rng, 0f, 0.1f, 40, 300), Tensor.randn(rng, 0f, 0.1f, 40, 300), Tensor.randn(rng, 0f, 0.1f, 24, 300)};
        Tensor[] b = {Tensor.randn(rng, 0f, 1f, 40), Tensor.randn(rng, 0f, 1f, 40), Tensor.randn(rng, 0f, 1f, 24)};
        for (KernelProvider k : KernelProvider.all()) {
            CpuProvider p = new CpuProvider(k);
            Tensor[] alone = p.linears(x, w, b);                      // not registered: one product each
            p.register(List.of(w));
            Tensor[] fused = p.linears(x, w, b);                      // one product, views of one array
            assertThat(fused[2].shape()).containsExactly(1, 21, 24);
            assertThat(fused[0].isContiguous()).isFalse();
            for (int i = 0; i < 3; i++) {
                assertThat(fused[i].toArray()).as(k + " output " + i).isEqualTo(alone[i].toArray());
                assertThat(fused[i].toArray()).as(k + " output " + i + " vs linear").isEqualTo(p.linear(x, w[i], b[i], null, null).toArray());
            }
            p.release(List.of(w[1]));
            assertThat(p.linears(x, w, b)[1].toArray()).as(k + " after a release").isEqualTo(alone[1].toArray());
        }
    }

    @Test
    void everyOpMatchesTheReferenceAtEveryWidth() {
        Rng rng = new Rng(11);
        Tensor x = Tensor.randn(rng, 0f, 1f, 3, 5, 19);             // (B, T, in)
        Tensor w = Tensor.randn(rng, 0f, 0.3f, 13, 19);             // (out, in)
        Tensor b = Tensor.randn(rng, 0f, 1f, 13);                   // (out)
        Tensor res = Tensor.randn(rng, 0f, 1f, 3, 5, 13);           // (B, T, out)
        Tensor gamma = Tensor.randn(rng, 1f, 0.1f, 19), beta = Tensor.randn(rng, 0f, 0.1f, 19); // (in)
        Tensor q = Tensor.randn(rng, 0f, 1f, 2, 7, 24), k = Tensor.randn(rng, 0f, 1f, 2, 9, 24); // (B, T, H·D)
        Tensor v = Tensor.randn(rng, 0f, 1f, 2, 9, 16);             // (B, Tk, H·Dv)
        Tensor keep = Tensor.of(new float[] {1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 9); // (B, Tk)
        assertEveryWidth("linear", p -> p.linear(x, w, b, UnaryOp.QUICK_GELU, res), 1e-5, 1e-5);
        for (UnaryOp op : UnaryOp.values()) assertEveryWidth(op.name(), p -> p.unary(op, x), 2e-6, 2e-6);
        assertEveryWidth("softmax", p -> p.softmax(x), 1e-7, 1e-5);
        assertEveryWidth("logSoftmax", p -> p.logSoftmax(x), 1e-5, 1e-5);
        Tensor row = Tensor.randn(rng, 0f, 1f, 19).add(Tensor.scalar(3f)); // (in): broadcast over x, away from 0 for div
        for (BinaryOp op : BinaryOp.values()) {
            assertEveryWidth(op.id(), p -> p.binary(op, x, x.mul(Tensor.scalar(0.5f)).add(Tensor.scalar(2f))), 0, 1e-6);
            assertEveryWidth(op.id() + " broadcast", p -> p.binary(op, x, row), 0, 1e-6);
        }
        assertEveryWidth("matmul, batched", p -> p.matmul(x, w.transpose(0, 1)), 1e-5, 1e-5);
        assertEveryWidth("matmul, broadcast batch", p -> p.matmul(q.reshape(2, 7, 4, 6).permute(0, 2, 1, 3),
                k.reshape(2, 9, 4, 6).permute(0, 2, 3, 1)), 1e-5, 1e-5);
        assertEveryWidth("layerNorm", p -> p.layerNorm(x, gamma, beta, 1e-5f), 1e-5, 1e-4);
        assertEveryWidth("layerNorm without γ, β", p -> p.layerNorm(x, null, null, 1e-5f), 1e-5, 1e-4);
        assertEveryWidth("attention", p -> p.attention(q, k, v, 4, false, keep, 0.4f), 1e-5, 1e-4);
        assertEveryWidth("causal attention", p -> p.attention(q, q, q, 4, true, null, 0.4f), 1e-5, 1e-4);
    }

    @Test
    void linearIsXTimesWeightTransposedPlusBiasThenActivation() {
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 5, 7);      // (B, T, in)
        Tensor w = Tensor.randn(rng, 0f, 0.3f, 9, 7);       // (out, in)
        Tensor b = Tensor.randn(rng, 0f, 1f, 9);            // (out)
        for (UnaryOp act : new UnaryOp[] {null, UnaryOp.GELU, UnaryOp.QUICK_GELU}) {
            Tensor y = ComputeProvider.get().linear(x, w, b, act, null); // (B, T, out)
            assertThat(y.shape()).containsExactly(2, 5, 9);
            float[] xs = x.toArray(), ws = w.toArray(), bs = b.toArray(), ys = y.toArray();
            for (int r = 0; r < 10; r++) {
                for (int o = 0; o < 9; o++) {
                    double s = bs[o];
                    for (int i = 0; i < 7; i++) s += (double) xs[r * 7 + i] * ws[o * 7 + i];
                    float expected = act == null ? (float) s : ScalarMath.apply(act, (float) s);
                    assertThat(ys[r * 9 + o]).as("y[%d, %d] with %s", r, o, act).isCloseTo(expected, within(1e-5f));
                }
            }
        }
    }

    @Test
    void linearReadsATransposedWeightViewInPlace() {
        Rng rng = new Rng(8);
        Tensor x = Tensor.randn(rng, 0f, 1f, 4, 6);             // (N, in)
        Tensor wt = Tensor.randn(rng, 0f, 1f, 6, 3);            // (in, out)
        Tensor viaView = ComputeProvider.get().linear(x, wt.transpose(0, 1), null, null, null); // weight (out, in) as a view
        Tensor direct = x.matmul(wt);                           // (N, out)
        assertAllClose("linear through a transposed weight view", direct.toArray(), viaView.toArray(), 1e-5f, 0);
    }

    @Test
    void badShapesGetOneLineErrors() {
        assertThatThrownBy(() -> ComputeProvider.get().linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 3)").hasMessageContaining("(4, 5)");
        assertThatThrownBy(() -> ComputeProvider.get().linear(Tensor.zeros(2, 3), Tensor.zeros(4, 3), Tensor.zeros(3), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias (3,) must be (4)");
        assertThatThrownBy(() -> ComputeProvider.get().softmax(Tensor.scalar(1f))).hasMessageContaining("scalar");
        assertThatThrownBy(() -> ComputeProvider.get().matmul(Tensor.zeros(2, 3), Tensor.zeros(4, 5)))
                .hasMessageContaining("inner dimensions 3 and 4 differ");
        assertThatThrownBy(() -> ComputeProvider.get().binary(BinaryOp.ADD, Tensor.zeros(2, 3), Tensor.zeros(4)))
                .hasMessageContaining("add");
        assertThatThrownBy(() -> ComputeProvider.get().attention(Tensor.zeros(1, 2, 6), Tensor.zeros(1, 2, 6), Tensor.zeros(1, 2, 6),
                4, false, null, 1f)).hasMessageContaining("4 heads");
    }

    @Test
    void inferenceAndTrainingGiveTheSameValues() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, 0f, 1f, 4, 10);                  // (N, C)
        Tensor gamma = Tensor.randn(rng, 1f, 0.1f, 10).requiresGrad(true); // (C)
        Tensor q = Tensor.randn(rng, 0f, 1f, 2, 6, 8).requiresGrad(true);  // (B, T, H·D)
        List<Tensor> recorded = List.of(Norms.layerNorm(x, gamma, null, 1e-5f), Attention.multiHead(q, q, q, 2, true, null, 0.5f));
        try (var ignored = GradMode.noGrad()) {
            List<Tensor> inferred = List.of(Norms.layerNorm(x, gamma, null, 1e-5f), Attention.multiHead(q, q, q, 2, true, null, 0.5f));
            for (int i = 0; i < 2; i++) assertThat(inferred.get(i).toArray()).containsExactly(recorded.get(i).toArray());
        }
    }
}
