package dev.vireo.models.train;

import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.distributed.Collective;
import dev.vireo.engine.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the training loop does across the K ranks of a {@link Collective} that train one model, each
 * on its rows of every global batch. Features: each rank's are gathered without graph and its own, with
 * graph, put back in its slot, so the loss sees the whole global batch and backward reaches this rank's
 * towers only (open_clip's {@code gather_with_grad} with {@code local_loss=False}). Gradients: after
 * backward, every trainable parameter's gradient is summed over the ranks in one flat buffer, one
 * message per step; each rank then holds the tower gradient of the whole batch, and K times that of
 * the parameters only the loss reads (the temperature, a logit bias), which every rank computed
 * whole: those are divided by K. With one rank every operation is the identity, so single-process
 * training is unchanged to the bit.
 */
final class DataParallel {
    private final Collective collective;
    private final Collection<Tensor> trainable;
    private final List<Tensor> lossOnly;
    private float[] flat = new float[0];

    DataParallel(Collective collective, Collection<Tensor> trainable, List<Tensor> lossOnly) {
        this.collective = collective;
        this.trainable = trainable;
        this.lossOnly = lossOnly;
    }

    int rank() {
        return collective.rank();
    }

    int size() {
        return collective.size();
    }

    /** Only rank 0 writes the run folder (settings, data report, metrics, checkpoints). */
    boolean writesFiles() {
        return collective.rank() == 0;
    }

    /** Every rank's rows (b, E) of one batch gathered in rank order, without graph: (K·b, E). */
    Tensor gathered(Tensor local) throws IOException {
        if (size() == 1) return local;
        int[] shape = local.shape();
        float[] all = collective.allGather(local.toArray()); // (K·b, E)
        return Tensor.of(all, size() * shape[0], shape[1]);
    }

    /** {@code all} (K·b, E) with this rank's rows replaced by {@code own} (b, E), which keeps its graph. */
    Tensor spliced(Tensor all, Tensor own) {
        if (size() == 1) return own;
        int b = own.shape()[0], width = own.shape()[1], from = rank() * b, to = from + b;
        float[] values = all.toArray();
        List<Tensor> parts = new ArrayList<>(3);
        if (from > 0) parts.add(Tensor.of(Arrays.copyOfRange(values, 0, from * width), from, width));                   // (r·b, E)
        parts.add(own);                                                                                                 // (b, E)
        int after = all.shape()[0] - to;
        if (after > 0) parts.add(Tensor.of(Arrays.copyOfRange(values, to * width, values.length), after, width));        // ((K−r−1)·b, E)
        return ShapeOps.concat(0, parts.toArray(Tensor[]::new));                                                        // (K·b, E)
    }

    /** {@link #spliced} of this rank's own rows into the gather of them. */
    Tensor withOthers(Tensor own) throws IOException {
        return spliced(gathered(own.detach()), own);
    }

    /** Sums the trainable parameters' gradients over the ranks (one buffer) and divides the loss-only parameters' by K. */
    void sumGradients() throws IOException {
        if (size() == 1) return;
        int total = 0;
        for (Tensor p : trainable) if (p.grad() != null) total += p.numel();
        if (flat.length != total) flat = new float[total];
        int at = 0;
        for (Tensor p : trainable) {
            if (p.grad() == null) continue;
            float[] g = p.gradBuffer();
            System.arraycopy(g, 0, flat, at, g.length);
            at += g.length;
        }
        collective.allReduceSum(flat);
        at = 0;
        for (Tensor p : trainable) {
            if (p.grad() == null) continue;
            float[] g = p.gradBuffer();
            System.arraycopy(flat, at, g, 0, g.length);
            at += g.length;
        }
        for (Tensor p : lossOnly) {
            if (p.grad() == null) continue;
            float[] g = p.gradBuffer();
            for (int i = 0; i < g.length; i++) g[i] /= size();
        }
    }

    /**
     * Refuses to train unless every rank starts from the same step with the same weights: a rank that
     * found no checkpoint, or another model or seed, would otherwise train silently apart.
     */
    void checkSameStart(long step, Map<String, Tensor> parameters) throws IOException {
        if (size() == 1) return;
        long fingerprint = fingerprint(parameters.values());
        float[] mine = new float[8]; // two longs as 16-bit pieces, each exact in a float
        pieces(step, mine, 0);
        pieces(fingerprint, mine, 4);
        float[] all = collective.allGather(mine); // (K, 8)
        for (int r = 0; r < size(); r++) {
            long theirStep = fromPieces(all, r * 8), theirs = fromPieces(all, r * 8 + 4);
            if (theirStep != step || theirs != fingerprint) {
                throw new IllegalStateException("train: rank " + r + " starts at step " + theirStep + " with weights #"
                        + Long.toHexString(theirs) + " but rank " + rank() + " at step " + step + " with #" + Long.toHexString(fingerprint)
                        + ": every rank must see the same run folder, model config and seed");
            }
        }
    }

    /** Waits for every rank (after rank 0's last checkpoint, so a resume on any rank finds it). */
    void barrier() throws IOException {
        collective.barrier();
    }

    /** A hash of the parameters' bits. */
    static long fingerprint(Collection<Tensor> parameters) {
        long h = 0x9E3779B97F4A7C15L;
        for (Tensor p : parameters) {
            for (float v : p.toArray()) h = BatchSampler.mix(h, Float.floatToRawIntBits(v), 0);
        }
        return h;
    }

    private static void pieces(long value, float[] out, int at) {
        for (int i = 0; i < 4; i++) out[at + i] = (value >>> (16 * i)) & 0xFFFF;
    }

    private static long fromPieces(float[] in, int at) {
        long value = 0;
        for (int i = 0; i < 4; i++) value |= ((long) in[at + i] & 0xFFFF) << (16 * i);
        return value;
    }
}
