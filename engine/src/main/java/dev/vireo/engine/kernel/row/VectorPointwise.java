package dev.vireo.engine.kernel.row;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The pointwise functions of {@link RowKernels#unary} and {@link RowKernels#unaryBackward}, one loop per
 * function. A shared loop calling {@link VectorMath#apply} would, once several functions ran through it,
 * inline all of them into one compilation, exceed C2's node budget, and box every vector on the heap
 * (measured: 12 MB of garbage and 3× the time per million elements). Each loop here inlines one function,
 * and each binary operator has its own loop too (the operator must be a constant at each lanewise call
 * for the JIT to intrinsify it). The loops differ only in the function, so this file is generated from
 * engine/src/test/resources/templates/VectorPointwise.java.template by KernelSourceGenerator; edit the
 * template and regenerate, never this file.
 */
abstract class VectorPointwise {

    /** The species, a constant in each width's subclass (see {@link VectorRowKernels}). */
    abstract VectorSpecies<Float> species();

    public void unary(UnaryOp op, float[] out, int oOff, float[] x, int xOff, int n) {
        switch (op) {
            case EXP -> expForward(out, oOff, x, xOff, n);
            case TANH -> tanhForward(out, oOff, x, xOff, n);
            case SIGMOID -> sigmoidForward(out, oOff, x, xOff, n);
            case RELU -> reluForward(out, oOff, x, xOff, n);
            case GELU -> geluForward(out, oOff, x, xOff, n);
            case GELU_TANH -> geluTanhForward(out, oOff, x, xOff, n);
            case QUICK_GELU -> quickGeluForward(out, oOff, x, xOff, n);
        }
    }

    public void unaryBackward(UnaryOp op, float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n) {
        switch (op) {
            case EXP -> expBackward(gradIn, gOff, x, xOff, gradOut, goOff, n);
            case TANH -> tanhBackward(gradIn, gOff, x, xOff, gradOut, goOff, n);
            case SIGMOID -> sigmoidBackward(gradIn, gOff, x, xOff, gradOut, goOff, n);
            case RELU -> reluBackward(gradIn, gOff, x, xOff, gradOut, goOff, n);
            case GELU -> geluBackwardBlocks(gradIn, gOff, x, xOff, gradOut, goOff, n);
            case GELU_TANH -> geluTanhBackward(gradIn, gOff, x, xOff, gradOut, goOff, n);
            case QUICK_GELU -> quickGeluBackward(gradIn, gOff, x, xOff, gradOut, goOff, n);
        }
    }

    /** out[i] = a[i] + b[i] */
    public void add(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector.fromArray(s, a, aOff + i).add(FloatVector.fromArray(s, b, bOff + i)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = a[aOff + i] + b[bOff + i];
    }

    /** out[i] = a[i] - b[i] */
    public void sub(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector.fromArray(s, a, aOff + i).sub(FloatVector.fromArray(s, b, bOff + i)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = a[aOff + i] - b[bOff + i];
    }

    /** out[i] = a[i] * b[i] */
    public void mul(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector.fromArray(s, a, aOff + i).mul(FloatVector.fromArray(s, b, bOff + i)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = a[aOff + i] * b[bOff + i];
    }

    /** out[i] = a[i] / b[i] */
    public void div(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector.fromArray(s, a, aOff + i).div(FloatVector.fromArray(s, b, bOff + i)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = a[aOff + i] / b[bOff + i];
    }

    private void expForward(float[] out, int oOff, float[] x, int xOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            VectorMath.exp(FloatVector.fromArray(s, x, xOff + i)).intoArray(out, oOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            VectorMath.exp(FloatVector.fromArray(s, x, xOff + i, m)).intoArray(out, oOff + i, m);
        }
    }

    private void tanhForward(float[] out, int oOff, float[] x, int xOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            VectorMath.tanh(FloatVector.fromArray(s, x, xOff + i)).intoArray(out, oOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            VectorMath.tanh(FloatVector.fromArray(s, x, xOff + i, m)).intoArray(out, oOff + i, m);
        }
    }

    private void sigmoidForward(float[] out, int oOff, float[] x, int xOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            VectorMath.sigmoid(FloatVector.fromArray(s, x, xOff + i)).intoArray(out, oOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            VectorMath.sigmoid(FloatVector.fromArray(s, x, xOff + i, m)).intoArray(out, oOff + i, m);
        }
    }

    private void reluForward(float[] out, int oOff, float[] x, int xOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector.fromArray(s, x, xOff + i).max(0f).intoArray(out, oOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            FloatVector.fromArray(s, x, xOff + i, m).max(0f).intoArray(out, oOff + i, m);
        }
    }

    private void geluForward(float[] out, int oOff, float[] x, int xOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            VectorMath.gelu(FloatVector.fromArray(s, x, xOff + i)).intoArray(out, oOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            VectorMath.gelu(FloatVector.fromArray(s, x, xOff + i, m)).intoArray(out, oOff + i, m);
        }
    }

    private void geluTanhForward(float[] out, int oOff, float[] x, int xOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            VectorMath.geluTanh(FloatVector.fromArray(s, x, xOff + i)).intoArray(out, oOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            VectorMath.geluTanh(FloatVector.fromArray(s, x, xOff + i, m)).intoArray(out, oOff + i, m);
        }
    }

    private void quickGeluForward(float[] out, int oOff, float[] x, int xOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            VectorMath.quickGelu(FloatVector.fromArray(s, x, xOff + i)).intoArray(out, oOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            VectorMath.quickGelu(FloatVector.fromArray(s, x, xOff + i, m)).intoArray(out, oOff + i, m);
        }
    }

    private void geluCdfForward(float[] out, int oOff, float[] x, int xOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            VectorMath.geluCdf(FloatVector.fromArray(s, x, xOff + i)).intoArray(out, oOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            VectorMath.geluCdf(FloatVector.fromArray(s, x, xOff + i, m)).intoArray(out, oOff + i, m);
        }
    }

    private void expBackward(float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector d = VectorMath.exp(FloatVector.fromArray(s, x, xOff + i));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i)).intoArray(gradIn, gOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            FloatVector d = VectorMath.exp(FloatVector.fromArray(s, x, xOff + i, m));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i, m)).intoArray(gradIn, gOff + i, m);
        }
    }

    private void tanhBackward(float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector d = VectorMath.tanhDerivative(FloatVector.fromArray(s, x, xOff + i));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i)).intoArray(gradIn, gOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            FloatVector d = VectorMath.tanhDerivative(FloatVector.fromArray(s, x, xOff + i, m));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i, m)).intoArray(gradIn, gOff + i, m);
        }
    }

    private void sigmoidBackward(float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector d = VectorMath.sigmoidDerivative(FloatVector.fromArray(s, x, xOff + i));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i)).intoArray(gradIn, gOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            FloatVector d = VectorMath.sigmoidDerivative(FloatVector.fromArray(s, x, xOff + i, m));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i, m)).intoArray(gradIn, gOff + i, m);
        }
    }

    private void reluBackward(float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector d = VectorMath.reluDerivative(FloatVector.fromArray(s, x, xOff + i));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i)).intoArray(gradIn, gOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            FloatVector d = VectorMath.reluDerivative(FloatVector.fromArray(s, x, xOff + i, m));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i, m)).intoArray(gradIn, gOff + i, m);
        }
    }

    private void geluTanhBackward(float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector d = VectorMath.geluTanhDerivative(FloatVector.fromArray(s, x, xOff + i));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i)).intoArray(gradIn, gOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            FloatVector d = VectorMath.geluTanhDerivative(FloatVector.fromArray(s, x, xOff + i, m));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i, m)).intoArray(gradIn, gOff + i, m);
        }
    }

    private void quickGeluBackward(float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector d = VectorMath.quickGeluDerivative(FloatVector.fromArray(s, x, xOff + i));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i)).intoArray(gradIn, gOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            FloatVector d = VectorMath.quickGeluDerivative(FloatVector.fromArray(s, x, xOff + i, m));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i, m)).intoArray(gradIn, gOff + i, m);
        }
    }

    private void geluBackward(float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n, float[] cdf) {
        VectorSpecies<Float> s = species();
        int i = 0;
        for (int bound = s.loopBound(n); i < bound; i += s.length()) {
            FloatVector d = VectorMath.geluDerivative(FloatVector.fromArray(s, x, xOff + i), FloatVector.fromArray(s, cdf, i));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i)).intoArray(gradIn, gOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = s.indexInRange(i, n);
            FloatVector d = VectorMath.geluDerivative(FloatVector.fromArray(s, x, xOff + i, m), FloatVector.fromArray(s, cdf, i, m));
            d.mul(FloatVector.fromArray(s, gradOut, goOff + i, m)).intoArray(gradIn, gOff + i, m);
        }
    }

    /** Elements per block of GELU's two-pass backward (Φ into a small scratch, then the rest). */
    private static final int GELU_BLOCK = 2048;

    /**
     * GELU's backward in blocks of two passes each: both exps in one loop exceed C2's node budget.
     * Φ goes to a scratch block, so gradIn may be gradOut (in place).
     */
    private void geluBackwardBlocks(float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n) {
        float[] cdf = new float[Math.min(n, GELU_BLOCK)];
        for (int i = 0; i < n; i += GELU_BLOCK) {
            int len = Math.min(GELU_BLOCK, n - i);
            geluCdfForward(cdf, 0, x, xOff + i, len); // Φ(x)
            geluBackward(gradIn, gOff + i, x, xOff + i, gradOut, goOff + i, len, cdf); // (Φ(x) + x·φ(x))·gradOut
        }
    }
}
