package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.gemm.GemmKernel;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * Matrix products over the last two axes with broadcast batch axes, computed by the GEMM family of the {@link ComputeProvider}'s kernels.
 * Transposed views are read in place (the GEMM gets a transpose flag instead of a copy).
 * Backward: dA = dC·Bᵀ, dB = Aᵀ·dC, summed over broadcast batch axes.
 */
public final class Matmul {
    private Matmul() {}

    public static Tensor matmul(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int[] mkn = dims(as, bs);
        int k = mkn[1], n = mkn[2];
        Tensor out = ComputeProvider.get().matmul(a.detach(), b.detach()); // (batch..., M, N)
        int[] os = out.shape();
        Tensor ad = a.detach(), bd = b.detach();
        return Node.record(out, "matmul", (g, grads) -> {
            Tensor go = Tensor.of(g, os);
            if (a.requiresGrad()) {
                Tensor ga = onHost(go, bd.transpose(-1, -2)); // (..., M, K)
                grads.accumulateOwned(a, Broadcasting.reduceTo(ga.array(), ga.shape(), as));
            }
            if (b.requiresGrad()) {
                if (bs.length == 2 && as.length > 2) {
                    // a weight shared by every batch: one GEMM over all rows, Σ over the batch inside k
                    Tensor rowsA = ad.contiguous().reshape(-1, k);         // (B·M, K)
                    Tensor rowsG = go.reshape(-1, n);                      // (B·M, N)
                    grads.accumulateOwned(b, onHost(rowsA.transpose(0, 1), rowsG).array()); // (K, N)
                } else {
                    Tensor gb = onHost(ad.transpose(-1, -2), go); // (..., K, N)
                    grads.accumulateOwned(b, Broadcasting.reduceTo(gb.array(), gb.shape(), bs));
                }
            }
        }, a, b);
    }

    /** A product of the backward pass, on the host kernels. */
    private static Tensor onHost(Tensor a, Tensor b) {
        return values(ComputeProvider.get().kernels().gemm(), a, b);
    }

    /** The product's values on a given GEMM, no autograd record: the CPU provider's forward pass. */
    static Tensor values(GemmKernel gemm, Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int[] mkn = dims(as, bs);
        return multiply(gemm, a, b, as, bs, mkn[0], mkn[1], mkn[2]);
    }

    /** (M, K, N) of a product of these shapes, or a one-line error. */
    private static int[] dims(int[] as, int[] bs) {
        if (as.length < 2 || bs.length < 2) {
            throw new IllegalArgumentException("matmul: both operands need rank >= 2, got " + Shapes.str(as) + " x " + Shapes.str(bs));
        }
        int m = as[as.length - 2], k = as[as.length - 1], k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(as) + " x " + Shapes.str(bs)
                    + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        return new int[] {m, k, n};
    }

    private static Tensor multiply(GemmKernel gemm, Tensor a, Tensor b, int[] as, int[] bs, int m, int k, int n) {
        if (bs.length == 2 && as.length > 2) {
            // (..., M, K) x (K, N): fold the batch into the rows so B is packed once, not once per batch
            int[] outShape = as.clone();
            outShape[as.length - 1] = n;
            Tensor rows = a.contiguous().reshape(-1, k);        // (B·M, K)
            Tensor flat = multiply(gemm, rows.detach(), b, rows.shape(), bs, rows.size(0), k, n); // (B·M, N)
            return Tensor.of(flat.array(), outShape);           // (..., M, N)
        }
        int[] aBatch = Arrays.copyOf(as, as.length - 2);
        int[] bBatch = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shapes.broadcast("matmul", aBatch, bBatch);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        float[] c = new float[Shapes.numel(outShape)];
        int batches = Shapes.numel(batch);
        if (c.length == 0) return Tensor.of(c, outShape);

        Operand pa = Operand.of(a), pb = Operand.of(b);
        int[] aStr = Shapes.broadcastStrides(aBatch, Arrays.copyOf(pa.t.strides(), aBatch.length), batch);
        int[] bStr = Shapes.broadcastStrides(bBatch, Arrays.copyOf(pb.t.strides(), bBatch.length), batch);
        // few batches: one after another, each GEMM splitting its rows over the pool; many: one GEMM
        // per batch in parallel (a GEMM called inside a pool task runs inline). Either way each
        // element's sum is the same, so the bits do not depend on the thread count.
        ComputePool pool = ComputePool.global();
        ComputePool.ChunkBody one = bi -> {
            int aOff = pa.t.offset(), bOff = pb.t.offset(), rem = bi;
            for (int d = batch.length - 1; d >= 0; d--) {
                int i = rem % batch[d];
                rem /= batch[d];
                aOff += i * aStr[d];
                bOff += i * bStr[d];
            }
            gemm.multiply(c, bi * m * n, Math.max(n, 1), pa.t.array(), aOff, pa.ld, pa.trans,
                    pb.t.array(), bOff, pb.ld, pb.trans, m, n, k, false);
        };
        if (batches < 2 * pool.threads()) {
            for (int bi = 0; bi < batches; bi++) one.run(bi);
        } else {
            pool.forEachChunk(batches, one);
        }
        return Tensor.of(c, outShape);
    }

    /** A matrix operand as the GEMM reads it: heap data, a leading dimension, and a transpose flag. */
    private record Operand(Tensor t, int ld, boolean trans) {
        static Operand of(Tensor x) {
            if (!x.storage().isHeap()) x = x.dense();
            int[] s = x.strides(), sh = x.shape();
            int r = s.length;
            int rows = sh[r - 2], cols = sh[r - 1];
            if (s[r - 1] == 1 || cols == 1) return new Operand(x, rows == 1 ? Math.max(cols, 1) : s[r - 2], false);
            if (s[r - 2] == 1 || rows == 1) return new Operand(x, cols == 1 ? Math.max(rows, 1) : s[r - 1], true);
            Tensor d = x.dense();
            return new Operand(d, cols, false);
        }
    }
}
