package dev.vireo.engine.tensor;

import dev.vireo.engine.autograd.Elementwise;
import dev.vireo.engine.autograd.Gather;
import dev.vireo.engine.autograd.Matmul;
import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.autograd.Reductions;
import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.autograd.Softmax;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.parallel.ComputePool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A float32 tensor: a view (shape, strides, offset) of a {@link Storage}, plus what reverse-mode
 * autograd needs (whether it requires a gradient, its gradient, the node that made it).
 *
 * <p>Views (reshape of contiguous data, transpose, permute, narrow, expand) share storage and copy
 * nothing. Ops that need dense heap data call {@link #dense()}, which copies only when it must.
 * The instance methods are the public face of the ops in {@code dev.vireo.engine.autograd}.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private boolean requiresGrad;
    private float[] grad;
    private Node gradFn;
    private String name;

    public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("tensor: shape " + Shapes.str(shape) + " and strides "
                    + Shapes.str(strides) + " differ in rank");
        }
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ---------------------------------------------------------------- creation

    /** A contiguous tensor over {@code data} (no copy); its length must match the shape. */
    public static Tensor of(float[] data, int... shape) {
        if (Shapes.numel(shape) != data.length) {
            throw new IllegalArgumentException("tensor: " + data.length + " values do not fill shape " + Shapes.str(shape)
                    + " (" + Shapes.numel(shape) + " elements)");
        }
        return new Tensor(Storage.of(data), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    public static Tensor zeros(int... shape) {
        return of(new float[Shapes.numel(shape)], shape);
    }

    /** Zeros whose array is allocated on first use ({@link Storage#lazyZeros}): weights that will be loaded. */
    private static Tensor lazyZeros(int... shape) {
        return new Tensor(Storage.lazyZeros(Shapes.numel(shape)), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        Arrays.fill(d, value);
        return of(d, shape);
    }

    /** 0, 1, ..., n-1 */
    public static Tensor arange(int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return of(d, n);
    }

    /** Uniform in [lo, hi), drawn from {@code rng} in row-major order. */
    public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        if (rng.forLoadedWeightsOnly()) return lazyZeros(shape); // every value will be loaded
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rng.nextFloat();
        return of(d, shape);
    }

    /** Normal with the given mean and standard deviation, drawn from {@code rng} in row-major order. */
    public static Tensor randn(Rng rng, float mean, float std, int... shape) {
        if (rng.forLoadedWeightsOnly()) return lazyZeros(shape); // every value will be loaded
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = mean + std * (float) rng.nextGaussian();
        return of(d, shape);
    }

    // ---------------------------------------------------------------- geometry

    public int[] shape() {
        return shape.clone();
    }

    /** Size of one dimension; negative axes count from the end. */
    public int size(int axis) {
        return shape[Shapes.axis("size", axis, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    public Storage storage() {
        return storage;
    }

    /** Row-major with no gaps (any offset). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** The heap array behind a {@link #dense()} tensor; read from {@link #offset()}. */
    public float[] array() {
        return storage.array();
    }

    /** This tensor if it is contiguous and on the heap, else a contiguous heap copy (recorded for autograd). */
    public Tensor dense() {
        if (isContiguous() && storage.isHeap()) return this;
        return ShapeOps.copy(this);
    }

    /** Like {@link #dense()}, but keeps contiguous off-heap storage as it is. */
    public Tensor contiguous() {
        return isContiguous() ? this : ShapeOps.copy(this);
    }

    /** The elements in row-major order, as a new array. */
    public float[] toArray() {
        float[] out = new float[numel()];
        if (isContiguous() || out.length == 0) {
            storage.copyTo(offset, out, 0, out.length);
            return out;
        }
        // copy runs of the last axis when its elements are adjacent (permuted patches, narrowed rows);
        // a large copy (ViT's patches of a batch: 4.8 M floats) runs in parallel chunks of runs
        int rank = shape.length;
        int run = strides[rank - 1] == 1 ? shape[rank - 1] : 1;
        int runs = out.length / Math.max(run, 1);
        if (out.length < PARALLEL_COPY_FLOATS) {
            copyRuns(out, 0, runs, run);
        } else {
            ComputePool.global().parallelFor(runs, Math.max(1, COPY_CHUNK_FLOATS / run), (r0, r1) -> copyRuns(out, r0, r1, run));
        }
        return out;
    }

    /** Copies from a strided copy of at least this many floats run in parallel. */
    private static final int PARALLEL_COPY_FLOATS = 1 << 18;
    /** Floats per chunk of a parallel strided copy. */
    private static final int COPY_CHUNK_FLOATS = 1 << 15;

    /** Runs [r0, r1) of {@code run} elements (the last axis when its stride is 1, else single elements) into out. */
    private void copyRuns(float[] out, int r0, int r1, int run) {
        int outer = shape.length - (run > 1 ? 1 : 0);
        int[] idx = new int[outer];
        for (int d = outer - 1, rest = r0; d >= 0; d--) { // the index of run r0
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        for (int r = r0; r < r1; r++) {
            int pos = offset;
            for (int d = 0; d < outer; d++) pos += idx[d] * strides[d];
            if (run > 1) storage.copyTo(pos, out, r * run, run);
            else out[r] = storage.get(pos);
            for (int d = outer - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
    }

    /** One element by its indices. */
    public float get(int... index) {
        return storage.get(position(index));
    }

    /** Sets one element in place (no autograd record). */
    public void set(float value, int... index) {
        storage.set(position(index), value);
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel() != 1) throw new IllegalStateException("item: tensor of shape " + Shapes.str(shape) + " has " + numel() + " elements");
        return storage.get(offset);
    }

    private long position(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " for a tensor of shape " + Shapes.str(shape));
        }
        long pos = offset;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of range for shape " + Shapes.str(shape));
            }
            pos += (long) index[d] * strides[d];
        }
        return pos;
    }

    // ---------------------------------------------------------------- autograd state

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as needing (or, to freeze it, not needing) a gradient; returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("requiresGrad(false) on a tensor computed by " + gradFn.op() + ": use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    /** A leaf has no recorded node: a parameter or an input. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The node that computed this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    void attach(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    /** The accumulated gradient (same shape, dense), or null before any backward pass reached this leaf. */
    public Tensor grad() {
        return grad == null ? null : of(grad, shape);
    }

    /** The raw gradient buffer of a leaf, created (zeroed) on first use. */
    public float[] gradBuffer() {
        if (grad == null) grad = new float[numel()];
        return grad;
    }

    /** Forgets the gradient (the next backward starts from zero). */
    public void zeroGrad() {
        if (grad != null) Arrays.fill(grad, 0f);
    }

    /** The same data, cut off from the graph. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset);
    }

    public String name() {
        return name;
    }

    public Tensor named(String name) {
        this.name = name;
        return this;
    }

    /** Backpropagates from a one-element tensor (seed gradient 1). */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: tensor of shape " + Shapes.str(shape)
                    + " is not a scalar; pass the gradient with backward(grad)");
        }
        backward(new float[] {1f});
    }

    /** Backpropagates {@code seed} (dense, this tensor's shape) through the recorded graph. */
    public void backward(float[] seed) {
        if (!requiresGrad) throw new IllegalStateException("backward: tensor does not require a gradient (no input needed one)");
        if (seed.length != numel()) {
            throw new IllegalArgumentException("backward: seed of " + seed.length + " values for shape " + Shapes.str(shape));
        }
        Grads grads = new Grads();
        if (isLeaf()) {
            grads.accumulate(this, seed);
            return;
        }
        List<Tensor> order = topologicalOrder();
        float[] rootGrad = grads.buffer(this);
        System.arraycopy(seed, 0, rootGrad, 0, seed.length);
        try (var ignored = GradMode.noGrad()) {
            for (int i = 0; i < order.size(); i++) {
                Tensor t = order.set(i, null); // the pass holds no node it has finished with
                Node node = t.gradFn;
                float[] g = grads.take(t);
                if (g != null) { // else no gradient reached this node
                    node.backward.apply(g, grads);
                    // the op read g and let go of it, unless it handed g on as an input's gradient
                    if (!grads.isPending(g)) BufferPool.recycle(g);
                }
                node.release();
            }
        }
    }

    /** Non-leaf tensors reachable from this one, each before the inputs it was computed from. */
    private List<Tensor> topologicalOrder() {
        List<Tensor> post = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {this, 0});
        seen.add(this);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            if (t.gradFn.released()) {
                throw new IllegalStateException("backward: the graph through " + t.gradFn.op() + " was already used by a backward pass"
                        + " and its saved tensors freed; run the forward pass again");
            }
            Tensor[] inputs = t.gradFn.inputs;
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && !in.isLeaf() && seen.add(in)) stack.push(new Object[] {in, 0});
            } else {
                stack.pop();
                post.add(t);
            }
        }
        Collections.reverse(post);
        return post;
    }

    // ---------------------------------------------------------------- elementwise ops

    public Tensor add(Tensor other) {
        return Elementwise.add(this, other);
    }

    public Tensor sub(Tensor other) {
        return Elementwise.sub(this, other);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.mul(this, other);
    }

    public Tensor div(Tensor other) {
        return Elementwise.div(this, other);
    }

    public Tensor add(float value) {
        return Elementwise.affine(this, 1f, value);
    }

    public Tensor mul(float value) {
        return Elementwise.affine(this, value, 0f);
    }

    public Tensor neg() {
        return Elementwise.affine(this, -1f, 0f);
    }

    public Tensor pow(float exponent) {
        return Elementwise.pow(this, exponent);
    }

    public Tensor exp() {
        return Elementwise.unary(this, UnaryOp.EXP);
    }

    public Tensor log() {
        return Elementwise.log(this);
    }

    public Tensor sqrt() {
        return Elementwise.sqrt(this);
    }

    public Tensor abs() {
        return Elementwise.abs(this);
    }

    public Tensor clamp(float min, float max) {
        return Elementwise.clamp(this, min, max);
    }

    public Tensor tanh() {
        return Elementwise.unary(this, UnaryOp.TANH);
    }

    public Tensor sigmoid() {
        return Elementwise.unary(this, UnaryOp.SIGMOID);
    }

    public Tensor relu() {
        return Elementwise.unary(this, UnaryOp.RELU);
    }

    /** Exact GELU, x·Φ(x). */
    public Tensor gelu() {
        return Elementwise.unary(this, UnaryOp.GELU);
    }

    /** GELU, tanh approximation. */
    public Tensor geluTanh() {
        return Elementwise.unary(this, UnaryOp.GELU_TANH);
    }

    /** x·σ(1.702x), CLIP's activation. */
    public Tensor quickGelu() {
        return Elementwise.unary(this, UnaryOp.QUICK_GELU);
    }

    /** Where mask (broadcast to this shape) is non-zero, {@code value}; elsewhere this tensor. */
    public Tensor maskedFill(Tensor mask, float value) {
        return Elementwise.maskedFill(this, mask, value);
    }

    // ---------------------------------------------------------------- linear algebra

    /** Matrix product over the last two axes, batch axes broadcast (like torch.matmul for rank ≥ 2). */
    public Tensor matmul(Tensor other) {
        return Matmul.matmul(this, other);
    }

    // ---------------------------------------------------------------- shape ops

    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(this, newShape);
    }

    public Tensor permute(int... axes) {
        return ShapeOps.permute(this, axes);
    }

    public Tensor transpose(int axis0, int axis1) {
        return ShapeOps.transpose(this, axis0, axis1);
    }

    /** Elements {@code [start, start + length)} along {@code axis}, as a view. */
    public Tensor narrow(int axis, int start, int length) {
        return ShapeOps.narrow(this, axis, start, length);
    }

    /** Broadcasts size-1 axes to {@code newShape}, as a view with stride 0. */
    public Tensor expand(int... newShape) {
        return ShapeOps.expand(this, newShape);
    }

    /** Rows {@code indices} of {@code axis} (gradient scattered back with addition). */
    public Tensor indexSelect(int axis, int[] indices) {
        return ShapeOps.indexSelect(this, axis, indices);
    }

    // ---------------------------------------------------------------- reductions and nn ops

    /** Σ over {@code axes} (none given: all elements, a rank-0 result). */
    public Tensor sum(int... axes) {
        return axes.length == 0 ? Reductions.sum(this) : Reductions.sum(this, axes, false);
    }

    public Tensor sum(int[] axes, boolean keepdim) {
        return Reductions.sum(this, axes, keepdim);
    }

    /** Mean over {@code axes} (none given: all elements). */
    public Tensor mean(int... axes) {
        return Reductions.mean(this, axes, false);
    }

    public Tensor mean(int[] axes, boolean keepdim) {
        return Reductions.mean(this, axes, keepdim);
    }

    /** Maximum over {@code axes} (none given: all elements); gradient to the first maximum. */
    public Tensor max(int... axes) {
        return Reductions.max(this, axes, false);
    }

    public Tensor max(int[] axes, boolean keepdim) {
        return Reductions.max(this, axes, keepdim);
    }

    /** log Σ exp over {@code axes} (none given: all elements). */
    public Tensor logsumexp(int... axes) {
        return Reductions.logsumexp(this, axes, false);
    }

    public Tensor logsumexp(int[] axes, boolean keepdim) {
        return Reductions.logsumexp(this, axes, keepdim);
    }

    /** Unbiased variance over {@code axes} (none given: all elements), like torch.var. */
    public Tensor var(int... axes) {
        return Reductions.var(this, axes, 1, false);
    }

    /** Σ(x - mean)² / (n - correction) over {@code axes}. */
    public Tensor var(int[] axes, int correction, boolean keepdim) {
        return Reductions.var(this, axes, correction, keepdim);
    }

    public Tensor softmax(int axis) {
        return Softmax.softmax(this, axis);
    }

    public Tensor logSoftmax(int axis) {
        return Softmax.logSoftmax(this, axis);
    }

    /** Layer norm over the last axis; gamma and beta (size of that axis) may be null. */
    public Tensor layerNorm(Tensor gamma, Tensor beta, float eps) {
        return Norms.layerNorm(this, gamma, beta, eps);
    }

    /** x / max(‖x‖₂, 1e-12) along {@code axis}. */
    public Tensor l2Normalize(int axis) {
        return Norms.l2Normalize(this, axis, Norms.NORMALIZE_EPS);
    }

    public Tensor l2Normalize(int axis, float eps) {
        return Norms.l2Normalize(this, axis, eps);
    }

    /** Cosine similarity with {@code other} (broadcast) along {@code axis}, eps 1e-8. */
    public Tensor cosineSimilarity(Tensor other, int axis) {
        return Norms.cosineSimilarity(this, other, axis, Norms.COSINE_EPS);
    }

    /** Inverted dropout with a mask drawn from {@code rng}; this tensor itself when p = 0 or not training. */
    public Tensor dropout(float p, boolean training, Rng rng) {
        return Elementwise.dropout(this, p, training, rng);
    }

    /** torch.gather along {@code axis}; {@code index} is row-major with shape {@code indexShape}. */
    public Tensor gather(int axis, int[] index, int... indexShape) {
        return Gather.gather(this, axis, index, indexShape);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape));
        if (numel() <= 16) sb.append(' ').append(Arrays.toString(toArray()));
        if (gradFn != null) sb.append(" grad_fn=").append(gradFn.op());
        else if (requiresGrad) sb.append(" requires_grad");
        return sb.toString();
    }
}
