package dev.vireo.engine.kernel.row;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowKernels} with the JDK Vector API: the same functions as {@link ScalarRowKernels}, computed
 * a vector of lanes at a time. Only the vector classes import {@code jdk.incubator.vector}; the
 * kernel provider loads them by name so Vireo still runs without the module.
 */
public abstract class VectorRowKernels extends VectorPointwise implements RowKernels {

    /** The species: a constant in each width's subclass (see {@link VectorWidths}). */
    @Override
    abstract VectorSpecies<Float> species();

    /** Kernels at a forced width of 128, 256 or 512 bits (any width runs on any CPU, wide ones slowly). */
    public static VectorRowKernels create(int bits) {
        return VectorWidths.pick(bits, "vector row kernels", Bits128::new, Bits256::new, Bits512::new);
    }

    /** The CPU's preferred vector width in bits (the provider reads it by name, without linking this class eagerly). */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** Vector width in bits. */
    public int bits() {
        return species().vectorBitSize();
    }

    /** Float lanes per vector. */
    public int lanes() {
        return species().length();
    }

    private static final class Bits128 extends VectorRowKernels {
        @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_128; }
    }

    private static final class Bits256 extends VectorRowKernels {
        @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_256; }
    }

    private static final class Bits512 extends VectorRowKernels {
        @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_512; }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        // vector body: two accumulators hide FMA latency
        FloatVector acc0 = FloatVector.zero(species());
        FloatVector acc1 = FloatVector.zero(species());
        int bound2 = n - 2 * species().length();
        for (; i <= bound2; i += 2 * species().length()) {
            acc0 = FloatVector.fromArray(species(), a, aOff + i).fma(FloatVector.fromArray(species(), b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(species(), a, aOff + i + species().length())
                    .fma(FloatVector.fromArray(species(), b, bOff + i + species().length()), acc1);
        }
        if (i <= n - species().length()) { // one vector left at most: an if, not a second loop over acc0 (see sum)
            acc0 = FloatVector.fromArray(species(), a, aOff + i).fma(FloatVector.fromArray(species(), b, bOff + i), acc0);
            i += species().length();
        }
        FloatVector both = acc0.add(acc1);
        float s = 0f;
        for (int j = 0; j < both.length(); j++) s += both.lane(j); // in place: see VectorMath
        // scalar tail
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        int bound = species().loopBound(n);
        FloatVector va = FloatVector.broadcast(species(), alpha);
        for (; i < bound; i += species().length()) {
            FloatVector vy = FloatVector.fromArray(species(), y, yOff + i);
            FloatVector.fromArray(species(), x, xOff + i).fma(va, vy).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    @Override
    public void addColumnSums(float[] sums, int sOff, float[] x, int xOff, int ld, int rows, int n) {
        VectorSpecies<Float> s = species();
        int lanes = s.length(), j = 0;
        // four vectors of columns at a time, their sums kept in registers down all the rows: one
        // load per row and vector instead of a load, an add and a store into sums
        for (; j <= n - 4 * lanes; j += 4 * lanes) {
            FloatVector a0 = FloatVector.fromArray(s, sums, sOff + j), a1 = FloatVector.fromArray(s, sums, sOff + j + lanes);
            FloatVector a2 = FloatVector.fromArray(s, sums, sOff + j + 2 * lanes), a3 = FloatVector.fromArray(s, sums, sOff + j + 3 * lanes);
            for (int r = 0, xi = xOff + j; r < rows; r++, xi += ld) {
                a0 = a0.add(FloatVector.fromArray(s, x, xi));
                a1 = a1.add(FloatVector.fromArray(s, x, xi + lanes));
                a2 = a2.add(FloatVector.fromArray(s, x, xi + 2 * lanes));
                a3 = a3.add(FloatVector.fromArray(s, x, xi + 3 * lanes));
            }
            a0.intoArray(sums, sOff + j);
            a1.intoArray(sums, sOff + j + lanes);
            a2.intoArray(sums, sOff + j + 2 * lanes);
            a3.intoArray(sums, sOff + j + 3 * lanes);
        }
        for (; j <= n - lanes; j += lanes) {
            FloatVector a = FloatVector.fromArray(s, sums, sOff + j);
            for (int r = 0, xi = xOff + j; r < rows; r++, xi += ld) a = a.add(FloatVector.fromArray(s, x, xi));
            a.intoArray(sums, sOff + j);
        }
        for (; j < n; j++) { // scalar tail, the same order
            float a = sums[sOff + j];
            for (int r = 0, xi = xOff + j; r < rows; r++, xi += ld) a += x[xi];
            sums[sOff + j] = a;
        }
    }

    @Override
    public void affine(float[] out, int oOff, float[] a, int aOff, float alpha, float beta, int n) {
        int i = 0;
        int bound = species().loopBound(n);
        FloatVector va = FloatVector.broadcast(species(), alpha);
        FloatVector vb = FloatVector.broadcast(species(), beta);
        for (; i < bound; i += species().length()) {
            FloatVector.fromArray(species(), a, aOff + i).fma(va, vb).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = Math.fma(alpha, a[aOff + i], beta);
    }

    @Override
    public float sum(float[] a, int off, int n) {
        int i = 0;
        FloatVector acc0 = FloatVector.zero(species());
        FloatVector acc1 = FloatVector.zero(species());
        for (; i <= n - 2 * species().length(); i += 2 * species().length()) {
            acc0 = acc0.add(FloatVector.fromArray(species(), a, off + i));
            acc1 = acc1.add(FloatVector.fromArray(species(), a, off + i + species().length()));
        }
        // one vector left at most: an if, not a second loop over acc0. With the loop, C2 kept acc0 and
        // acc1 boxed in some JVMs (layerNormRow, where this is inlined: 5.8 MB of boxes an image)
        if (i <= n - species().length()) {
            acc0 = acc0.add(FloatVector.fromArray(species(), a, off + i));
            i += species().length();
        }
        FloatVector both = acc0.add(acc1);
        float s = 0f;
        for (int j = 0; j < both.length(); j++) s += both.lane(j); // in place: see VectorMath
        for (; i < n; i++) s += a[off + i];
        return s;
    }

    @Override
    public float max(float[] x, int off, int n) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        FloatVector acc = FloatVector.broadcast(species, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = species.loopBound(n); i < bound; i += lanes) acc = acc.max(FloatVector.fromArray(species, x, off + i));
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[off + i]); // scalar tail
        return m;
    }

    @Override
    public void scale(float[] x, int off, int n, float alpha) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        int i = 0;
        for (int bound = species.loopBound(n); i < bound; i += lanes) {
            FloatVector.fromArray(species, x, off + i).mul(alpha).intoArray(x, off + i);
        }
        if (i < n) {
            VectorMask<Float> mask = species.indexInRange(i, n);
            FloatVector.fromArray(species, x, off + i, mask).mul(alpha).intoArray(x, off + i, mask);
        }
    }

    @Override
    public float expShift(float[] out, int oOff, float[] x, int xOff, int n, float shift) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        FloatVector vs = FloatVector.broadcast(species, shift);
        FloatVector acc = FloatVector.zero(species);
        int bound = species.loopBound(n);
        VectorMask<Float> tail = species.indexInRange(bound, n);
        // one loop, one call of exp: full vectors unmasked (a mask per step cost more than the exp),
        // the last step under the tail mask (a second call of exp for the tail would not be inlined)
        for (int i = 0; i < n; i += lanes) {
            boolean full = i < bound;
            FloatVector in = full ? FloatVector.fromArray(species, x, xOff + i) : FloatVector.fromArray(species, x, xOff + i, tail);
            FloatVector e = VectorMath.exp(in.sub(vs));
            if (full) {
                e.intoArray(out, oOff + i);
                acc = acc.add(e);
            } else {
                e.intoArray(out, oOff + i, tail);
                acc = acc.add(e, tail);
            }
        }
        float s = 0f;
        for (int j = 0; j < acc.length(); j++) s += acc.lane(j); // in place: see VectorMath
        return s;
    }

    @Override
    public float expShiftSum(float[] x, int off, int n, float shift) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        FloatVector vs = FloatVector.broadcast(species, shift);
        FloatVector acc = FloatVector.zero(species);
        int bound = species.loopBound(n);
        VectorMask<Float> tail = species.indexInRange(bound, n);
        for (int i = 0; i < n; i += lanes) { // one call of exp, as in expShiftInPlace
            boolean full = i < bound;
            FloatVector in = full ? FloatVector.fromArray(species, x, off + i) : FloatVector.fromArray(species, x, off + i, tail);
            FloatVector e = VectorMath.exp(in.sub(vs));
            acc = full ? acc.add(e) : acc.add(e, tail);
        }
        float s = 0f;
        for (int j = 0; j < acc.length(); j++) s += acc.lane(j); // in place: see VectorMath
        return s;
    }

    @Override
    public void softmaxGradInPlace(float[] ds, int dsOff, float[] p, int pOff, int n, float delta, float alpha) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        int i = 0;
        for (int bound = species.loopBound(n); i < bound; i += lanes) {
            FloatVector dp = FloatVector.fromArray(species, ds, dsOff + i);
            FloatVector.fromArray(species, p, pOff + i).mul(alpha).mul(dp.sub(delta)).intoArray(ds, dsOff + i);
        }
        if (i < n) {
            VectorMask<Float> mask = species.indexInRange(i, n);
            FloatVector dp = FloatVector.fromArray(species, ds, dsOff + i, mask);
            FloatVector.fromArray(species, p, pOff + i, mask).mul(alpha).mul(dp.sub(delta)).intoArray(ds, dsOff + i, mask);
        }
    }

    @Override
    public void softmaxRow(float[] out, int oOff, float[] x, int xOff, int n) {
        float max = max(x, xOff, n);
        float total = expShift(out, oOff, x, xOff, n, max);
        scale(out, oOff, n, 1f / total);
    }

    @Override
    public void logSoftmaxRow(float[] out, int oOff, float[] x, int xOff, int n) {
        float max = max(x, xOff, n);
        float shift = max + (float) Math.log(expShiftSum(x, xOff, n, max));
        affine(out, oOff, x, xOff, 1f, -shift, n);
    }

    @Override
    public void layerNormRow(float[] out, int oOff, float[] x, int xOff, float[] gamma, float[] beta, int n,
                             float eps, float[] stats, int sOff) {
        float mu = sum(x, xOff, n) / n;
        // second pass for the variance: (x - μ)² is better conditioned than E[x²] - μ²
        int i = 0;
        int bound = species().loopBound(n);
        FloatVector vmu = FloatVector.broadcast(species(), mu);
        FloatVector acc = FloatVector.zero(species());
        for (; i < bound; i += species().length()) {
            FloatVector d = FloatVector.fromArray(species(), x, xOff + i).sub(vmu);
            acc = d.fma(d, acc);
        }
        float var = 0f;
        for (int j = 0; j < acc.length(); j++) var += acc.lane(j); // in place: see VectorMath
        for (; i < n; i++) {
            float d = x[xOff + i] - mu;
            var += d * d;
        }
        var /= n;
        float rstd = (float) (1.0 / Math.sqrt(var + eps));
        FloatVector vr = FloatVector.broadcast(species(), rstd);
        for (i = 0; i < bound; i += species().length()) {
            FloatVector y = FloatVector.fromArray(species(), x, xOff + i).sub(vmu).mul(vr);
            if (gamma != null) y = y.mul(FloatVector.fromArray(species(), gamma, i));
            if (beta != null) y = y.add(FloatVector.fromArray(species(), beta, i));
            y.intoArray(out, oOff + i);
        }
        ScalarRowKernels.normalize(out, oOff, x, xOff, gamma, beta, i, n, mu, rstd, stats, sOff); // the tail
    }

    @Override
    public void layerNormBackwardRow(float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff,
                                     float[] gamma, float[] dGamma, float[] dBeta, int n, float[] stats, int sOff) {
        float mu = stats[sOff];
        float rstd = stats[sOff + 1];
        FloatVector vmu = FloatVector.broadcast(species(), mu);
        FloatVector vr = FloatVector.broadcast(species(), rstd);
        FloatVector accG = FloatVector.zero(species());
        FloatVector accGX = FloatVector.zero(species());
        int bound = species().loopBound(n);
        int i = 0;
        for (; i < bound; i += species().length()) {
            FloatVector xhat = FloatVector.fromArray(species(), x, xOff + i).sub(vmu).mul(vr);
            FloatVector vdy = FloatVector.fromArray(species(), dy, dyOff + i);
            FloatVector g = gamma != null ? vdy.mul(FloatVector.fromArray(species(), gamma, i)) : vdy;
            accG = accG.add(g);
            accGX = g.fma(xhat, accGX);
            if (dGamma != null) vdy.fma(xhat, FloatVector.fromArray(species(), dGamma, i)).intoArray(dGamma, i);
            if (dBeta != null) vdy.add(FloatVector.fromArray(species(), dBeta, i)).intoArray(dBeta, i);
        }
        float sumG = 0f, sumGX = 0f;
        for (int j = 0; j < accG.length(); j++) { // in place: see VectorMath
            sumG += accG.lane(j);
            sumGX += accGX.lane(j);
        }
        for (int j = i; j < n; j++) {
            float xhat = (x[xOff + j] - mu) * rstd;
            float g = dy[dyOff + j] * (gamma != null ? gamma[j] : 1f);
            sumG += g;
            sumGX += g * xhat;
            if (dGamma != null) dGamma[j] += dy[dyOff + j] * xhat;
            if (dBeta != null) dBeta[j] += dy[dyOff + j];
        }
        float mg = sumG / n;
        float mgx = sumGX / n;
        FloatVector vmg = FloatVector.broadcast(species(), mg);
        FloatVector vmgx = FloatVector.broadcast(species(), mgx);
        for (i = 0; i < bound; i += species().length()) {
            FloatVector xhat = FloatVector.fromArray(species(), x, xOff + i).sub(vmu).mul(vr);
            FloatVector vdy = FloatVector.fromArray(species(), dy, dyOff + i);
            FloatVector g = gamma != null ? vdy.mul(FloatVector.fromArray(species(), gamma, i)) : vdy;
            g.sub(vmg).sub(xhat.mul(vmgx)).mul(vr).intoArray(dx, dxOff + i);
        }
        ScalarRowKernels.inputGrad(dx, dxOff, dy, dyOff, x, xOff, gamma, i, n, mu, rstd, mg, mgx); // the tail
    }

}
