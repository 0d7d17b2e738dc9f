package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.vireo.engine.autograd.OpsTesting.check;
import static dev.vireo.engine.autograd.OpsTesting.param;

/** Finite-difference gradient checks of every nn op and option. */
class NnOpsGradTest {
    private final Rng rng = new Rng(23);

    @Test
    void softmaxAndLogSoftmaxAlongEveryAxis() {
        for (int axis : new int[] {-1, 0, 1, 2}) {
            check(t -> t[0].softmax(axis), param(rng, 2, 3, 4));
            check(t -> t[0].logSoftmax(axis), param(rng, 2, 3, 4));
        }
        check(t -> t[0].softmax(0), param(rng, 1));
    }

    @Test
    void causalMaskThenSoftmax() {
        int tokens = 5;
        float[] future = new float[tokens * tokens];
        for (int i = 0; i < tokens; i++) for (int j = i + 1; j < tokens; j++) future[i * tokens + j] = 1;
        Tensor mask = Tensor.of(future, tokens, tokens);
        check(t -> t[0].maskedFill(mask, Float.NEGATIVE_INFINITY).softmax(-1), param(rng, 2, tokens, tokens));
        check(t -> t[0].maskedFill(mask, -1e9f).logSoftmax(-1).maskedFill(mask, 0f), param(rng, tokens, tokens));
    }

    @Test
    void layerNormWithAndWithoutAffine() {
        check(t -> t[0].layerNorm(t[1], t[2], 1e-5f), param(rng, 3, 7), param(rng, 7), param(rng, 7));
        check(t -> t[0].layerNorm(null, null, 1e-5f), param(rng, 2, 2, 6));
        check(t -> t[0].layerNorm(t[1], null, 1e-5f), param(rng, 4, 5), param(rng, 5));
        check(t -> t[0].layerNorm(null, t[1], 1e-5f), param(rng, 4, 5), param(rng, 5));
        // only γ and β need gradients (a frozen input)
        Tensor frozen = Tensor.randn(rng, 0f, 1f, 3, 6);
        check(t -> frozen.layerNorm(t[0], t[1], 1e-5f), param(rng, 6), param(rng, 6));
        // wide rows: the vector body of the row kernels
        check(t -> t[0].layerNorm(t[1], t[2], 1e-5f), param(rng, 2, 37), param(rng, 37), param(rng, 37));
    }

    @Test
    void dropoutWithAFixedSeed() {
        check(t -> t[0].dropout(0.3f, true, new Rng(5)), param(rng, 4, 6));
        check(t -> t[0].dropout(0.3f, false, new Rng(5)).mul(t[1]), param(rng, 3), param(rng, 3));
        check(t -> t[0].dropout(0f, true, new Rng(5)).mul(t[1]), param(rng, 3), param(rng, 3));
    }

    @Test
    void conv2dGeneralAndPatchCases() {
        // stride 2, padding 1, with bias
        check(t -> Convolution.conv2d(t[0], t[1], t[2], 2, 1), param(rng, 2, 3, 5, 6), param(rng, 4, 3, 3, 3), param(rng, 4));
        // stride 1, no padding, no bias, rectangular kernel and mixed strides
        check(t -> Convolution.conv2d(t[0], t[1], null, 1, 0), param(rng, 1, 2, 4, 4), param(rng, 3, 2, 2, 3));
        check(t -> Convolution.conv2d(t[0], t[1], null, 1, 2, 0, 1), param(rng, 1, 2, 5, 4), param(rng, 2, 2, 3, 2));
        // patch embedding: stride = kernel, divisible and cropped inputs
        check(t -> Convolution.conv2d(t[0], t[1], t[2], 2, 0), param(rng, 2, 3, 4, 6), param(rng, 5, 3, 2, 2), param(rng, 5));
        check(t -> Convolution.conv2d(t[0], t[1], null, 3, 0), param(rng, 1, 2, 7, 8), param(rng, 2, 2, 3, 3));
    }

    @Test
    void crossEntropyWithIgnoreIndexAndLabelSmoothing() {
        int[] targets = {2, 0, 4, 1};
        check(t -> Losses.crossEntropy(t[0], targets), param(rng, 4, 5));
        check(t -> Losses.crossEntropy(t[0], new int[] {2, -100, 4, -100}), param(rng, 4, 5));
        check(t -> Losses.crossEntropy(t[0], targets, -100, 0.1f), param(rng, 4, 5));
        check(t -> Losses.crossEntropy(t[0], new int[] {3, 1, 3, 0}, 3, 0.2f), param(rng, 4, 5));
        // a wide row for the vector kernels
        check(t -> Losses.crossEntropy(t[0], new int[] {17, 40}, -100, 0.1f), param(rng, 2, 41));
    }

    @Test
    void binaryCrossEntropyWithSoftTargets() {
        float[] targets = {0f, 1f, 0.3f, 0.6f, 1f, 0f};
        check(t -> Losses.binaryCrossEntropyWithLogits(t[0], targets), param(rng, 2, 3));
        check(t -> Losses.binaryCrossEntropyWithLogits(t[0], new float[] {0.9f, 0f, 0.1f, 1f}), param(rng, 4));
    }

    @Test
    void l2NormalizeAndCosineSimilarity() {
        for (int axis : new int[] {-1, 0, 1}) check(t -> t[0].l2Normalize(axis), param(rng, 3, 4, 2));
        // a row clamped at eps: the denominator is a constant there
        Tensor small = Tensor.of(new float[] {1e-4f, -2e-4f, 3f, 4f}, 2, 2).requiresGrad(true);
        check(1e-5, t -> t[0].l2Normalize(1, 1e-3f), small);
        check(t -> t[0].cosineSimilarity(t[1], -1), param(rng, 3, 5), param(rng, 3, 5));
        check(t -> t[0].cosineSimilarity(t[1], 0), param(rng, 4, 3), param(rng, 4, 1));
        check(t -> t[0].cosineSimilarity(t[1], 1), param(rng, 2, 6), param(rng, 6));
    }

    @Test
    void gatherScatterAddsRepeatedIndices() {
        check(t -> t[0].gather(1, new int[] {0, 2, 2, 1, 1, 1}, 2, 3), param(rng, 2, 4));
        check(t -> t[0].gather(0, new int[] {1, 0, 1, 1}, 2, 2), param(rng, 3, 3));
        check(t -> t[0].gather(2, new int[] {1, 0, 3, 3}, 2, 1, 2), param(rng, 2, 2, 4));
    }
}
