package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fused linear op against finite differences and against the unfused composition
 * x.matmul(Wᵀ) + b + residual, and the graph's release after a backward pass.
 */
class LinearOpTest {
    private final Rng rng = new Rng(5);

    private static void assertGradOk(GradCheck.Result r) {
        assertThat(r.ok()).as(r.worst()).isTrue();
    }

    @Test
    void gradientsOfInputWeightBiasAndResidual() {
        Tensor x = Tensor.randn(rng, 0, 1, 2, 3, 5).requiresGrad(true);  // (B, T, in)
        Tensor w = Tensor.randn(rng, 0, 1, 4, 5).requiresGrad(true);     // (out, in)
        Tensor b = Tensor.randn(rng, 0, 1, 4).requiresGrad(true);        // (out)
        Tensor r = Tensor.randn(rng, 0, 1, 2, 3, 4).requiresGrad(true);  // (B, T, out)
        assertGradOk(GradCheck.check(t -> LinearOp.linear(t[0], t[1], t[2], t[3]), new Tensor[] {x, w, b, r}, 1e-2, 3e-3, 3e-2));
        assertGradOk(GradCheck.check(t -> LinearOp.linear(t[0], t[1], null, null), new Tensor[] {x, w}, 1e-2, 3e-3, 3e-2));
    }

    @Test
    void weightGivenAsATransposedViewAndFrozenParts() {
        Tensor x = Tensor.randn(rng, 0, 1, 7, 6).requiresGrad(true);    // (rows, in)
        Tensor wt = Tensor.randn(rng, 0, 1, 6, 3).requiresGrad(true);   // (in, out): W is its transpose
        Tensor b = Tensor.randn(rng, 0, 1, 3);                          // frozen bias
        assertGradOk(GradCheck.check(t -> LinearOp.linear(t[0], t[1].transpose(0, 1), b, null), new Tensor[] {x, wt}, 1e-2, 3e-3, 3e-2));
        Tensor frozenX = Tensor.randn(rng, 0, 1, 7, 6);
        assertGradOk(GradCheck.check(t -> LinearOp.linear(frozenX, t[0].transpose(0, 1), null, null), new Tensor[] {wt}, 1e-2, 3e-3, 3e-2));
    }

    @Test
    void residualThatIsAlsoTheInputGetsBothGradients() {
        Tensor x = Tensor.randn(rng, 0, 1, 4, 5).requiresGrad(true);    // (rows, C)
        Tensor w = Tensor.randn(rng, 0, 1, 5, 5).requiresGrad(true);    // (C, C)
        assertGradOk(GradCheck.check(t -> LinearOp.linear(t[0], t[1], null, t[0]), new Tensor[] {x, w}, 1e-2, 3e-3, 3e-2));
    }

    @Test
    void matchesTheUnfusedComposition() {
        Tensor x = Tensor.randn(rng, 0, 1, 3, 37, 19);  // (B, T, in): sizes off every tile edge
        Tensor w = Tensor.randn(rng, 0, 1, 23, 19);     // (out, in)
        Tensor b = Tensor.randn(rng, 0, 1, 23);
        Tensor r = Tensor.randn(rng, 0, 1, 3, 37, 23);
        float[] fused = LinearOp.linear(x, w, b, r).toArray();
        float[] plain = x.matmul(w.transpose(0, 1)).add(b).add(r).toArray();
        assertAllClose("fused linear", plain, fused, 1e-4f, 0);
    }

    @Test
    void linearOfActivationGradientsForEveryActivation() {
        for (UnaryOp act : new UnaryOp[] {UnaryOp.GELU, UnaryOp.QUICK_GELU, UnaryOp.GELU_TANH, UnaryOp.TANH}) {
            Tensor pre = Tensor.randn(rng, 0, 1, 2, 3, 5).requiresGrad(true);  // (B, T, hidden)
            Tensor w = Tensor.randn(rng, 0, 1, 4, 5).requiresGrad(true);       // (out, hidden)
            Tensor b = Tensor.randn(rng, 0, 1, 4).requiresGrad(true);
            Tensor r = Tensor.randn(rng, 0, 1, 2, 3, 4).requiresGrad(true);
            GradCheck.Result res = GradCheck.check(t -> LinearOp.linearOfActivation(t[0], act, t[1], t[2], t[3]),
                    new Tensor[] {pre, w, b, r}, 1e-2, 3e-3, 3e-2);
            assertThat(res.ok()).as(act + ": " + res.worst()).isTrue();
        }
    }

    @Test
    void linearOfActivationEqualsTheComposition() {
        Tensor pre = Tensor.randn(rng, 0, 1, 3, 29, 41).requiresGrad(true); // (B, T, hidden)
        Tensor w = Tensor.randn(rng, 0, 1, 17, 41).requiresGrad(true);      // (out, hidden)
        Tensor b = Tensor.randn(rng, 0, 1, 17).requiresGrad(true);
        Tensor fused = LinearOp.linearOfActivation(pre, UnaryOp.QUICK_GELU, w, b, null);
        Tensor plain = LinearOp.linear(pre.quickGelu(), w, b, null);
        assertThat(fused.toArray()).containsExactly(plain.toArray());
        float[] seed = Tensor.randn(rng, 0, 1, 3, 29, 17).toArray();
        fused.backward(seed);
        float[] gPre = pre.grad().toArray(), gW = w.grad().toArray(), gB = b.grad().toArray();
        pre.zeroGrad();
        w.zeroGrad();
        b.zeroGrad();
        plain.backward(seed);
        assertThat(pre.grad().toArray()).containsExactly(gPre);
        assertThat(w.grad().toArray()).containsExactly(gW);
        assertThat(b.grad().toArray()).containsExactly(gB);
    }

    @Test
    void aSecondBackwardThroughAUsedGraphIsAClearError() {
        Tensor x = Tensor.randn(rng, 0, 1, 2, 3).requiresGrad(true);
        Tensor loss = x.mul(x).sum();  // ()
        loss.backward();
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already used by a backward pass");
    }

    @Test
    void gradientOfASumOfTheSameTensorIsDoubled() {
        // the add hands its gradient over to one input and copies it for the other
        Tensor x = Tensor.randn(rng, 0, 1, 6).requiresGrad(true);
        Tensor y = x.mul(2f);           // (6): an intermediate, so its gradient is handed over
        y.add(y).sum().backward();
        for (float g : x.grad().toArray()) assertThat(g).isEqualTo(4f);
    }
}
