package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Finite-difference gradient checks of the elementwise, shape and matmul ops. */
class CoreOpsGradTest {
    private static final Rng RNG = new Rng(7);

    static Tensor param(int... shape) {
        return Tensor.randn(RNG, 0f, 1f, shape).requiresGrad(true);
    }

    static Tensor positive(int... shape) {
        return Tensor.uniform(RNG, 0.5f, 2f, shape).requiresGrad(true);
    }

    static void check(Function<Tensor[], Tensor> op, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(op, inputs, 1e-2, 2e-3, 2e-2);
        assertThat(r.ok()).as(r.worst()).isTrue();
    }

    @Test
    void broadcastArithmetic() {
        check(t -> t[0].add(t[1]), param(3, 4), param(4));
        check(t -> t[0].sub(t[1]), param(2, 3, 4), param(3, 1));
        check(t -> t[0].mul(t[1]), param(3, 1), param(1, 5));
        check(t -> t[0].div(t[1]), param(3, 4), positive(4));
    }

    @Test
    void scalarAndPointwise() {
        check(t -> t[0].mul(3f).add(1f).neg(), param(5));
        check(t -> t[0].pow(3f), param(2, 3));
        check(t -> t[0].log(), positive(7));
        check(t -> t[0].sqrt(), positive(7));
        check(t -> t[0].exp(), param(9));
        check(t -> t[0].tanh(), param(9));
        check(t -> t[0].sigmoid(), param(9));
        check(t -> t[0].gelu(), param(33));
        check(t -> t[0].geluTanh(), param(33));
        check(t -> t[0].quickGelu(), param(33));
    }

    @Test
    void kinkedPointwiseAwayFromKinks() {
        Tensor x = Tensor.of(new float[] {-1.5f, -0.7f, 0.4f, 1.2f, 2.5f, -3f}, 6).requiresGrad(true);
        check(t -> t[0].relu(), x);
        check(t -> t[0].abs(), x);
        check(t -> t[0].clamp(-1f, 1f), x);
        Tensor mask = Tensor.of(new float[] {1, 0, 0, 1, 0, 1}, 6);
        check(t -> t[0].maskedFill(mask, -5f), x);
    }

    @Test
    void shapes() {
        check(t -> t[0].reshape(4, 3).mul(t[1]), param(2, 6), param(4, 3));
        check(t -> t[0].permute(2, 0, 1).mul(t[1]), param(2, 3, 4), param(4, 2, 3));
        check(t -> t[0].transpose(0, 1).matmul(t[1]), param(3, 2), param(3, 4));
        check(t -> t[0].narrow(1, 1, 2).mul(t[1]), param(3, 4), param(3, 2));
        check(t -> t[0].expand(3, 4).mul(t[1]), param(1, 4), param(3, 4));
        check(t -> ShapeOps.concat(1, t[0], t[1]).mul(t[2]), param(2, 3), param(2, 2), param(2, 5));
        check(t -> ShapeOps.split(t[0], 0, 1, 2)[1].mul(t[1]), param(3, 2), param(2, 2));
        check(t -> t[0].indexSelect(0, new int[] {2, 0, 2}).mul(t[1]), param(3, 4), param(3, 4));
        check(t -> ShapeOps.embedding(t[0], new int[] {1, 1, 0, 3}, 2, 2).mul(t[1]), param(4, 3), param(2, 2, 3));
    }

    @Test
    void matmulForms() {
        check(t -> t[0].matmul(t[1]), param(3, 5), param(5, 4));
        check(t -> t[0].matmul(t[1].transpose(0, 1)), param(3, 5), param(4, 5));
        check(t -> t[0].transpose(0, 1).matmul(t[1]), param(5, 3), param(5, 4));
        check(t -> t[0].matmul(t[1]), param(2, 3, 5), param(5, 4));
        check(t -> t[0].matmul(t[1]), param(2, 1, 3, 5), param(4, 5, 2));
    }
}
