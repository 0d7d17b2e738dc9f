package dev.vireo.engine.tensor;

import dev.vireo.engine.VireoProperties;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Float arrays handed back by code that knows a tensor is dead, lent again to ops that overwrite
 * every element of their output. A transformer's forward pass without gradients makes the same few
 * activation sizes over and over; reusing them keeps the arrays warm in the cache and spares the JVM
 * zeroing fresh ones and collecting the old (measured: a GEMM writing into a fresh C runs ~10% slower
 * than into a reused one), as PyTorch's caching allocator does.
 *
 * <p>Each thread has its own pool. {@link #take} is always safe for a caller that overwrites the
 * whole array; {@link #recycle} is the dangerous half and is only called on tensors whose whole
 * storage nobody else can still read (intermediates of a layer computed without a graph). The pool
 * holds at most {@code vireo.bufferPoolMb} MiB (default 512; 0 disables it).
 */
public final class BufferPool {
    /** Arrays kept per size, beyond which returned arrays are left to the collector. */
    private static final int PER_SIZE = 8;
    /** Smaller arrays are not worth pooling: allocation is cheap and their sizes too many. */
    private static final int MIN_LENGTH = 1 << 14;
    private static final long MAX_BYTES = (long) VireoProperties.getInt(VireoProperties.BUFFER_POOL_MB, 512) << 20;
    private static final ThreadLocal<BufferPool> LOCAL = ThreadLocal.withInitial(BufferPool::new);

    private final Int2ObjectOpenHashMap<ArrayDeque<float[]>> free = new Int2ObjectOpenHashMap<>();
    private long bytes;

    private BufferPool() {}

    /** An array of n floats with unspecified contents: the caller must write every element before reading any. */
    public static float[] take(int n) {
        float[] a = pooled(n);
        return a != null ? a : new float[n];
    }

    /** An array of n zeros: a pooled one cleared, or a fresh one (which the JVM has zeroed). */
    public static float[] takeZeroed(int n) {
        float[] a = pooled(n);
        if (a == null) return new float[n];
        Arrays.fill(a, 0f);
        return a;
    }

    /** A pooled array of n floats, or null. */
    private static float[] pooled(int n) {
        if (n < MIN_LENGTH || MAX_BYTES == 0) return null;
        BufferPool pool = LOCAL.get();
        ArrayDeque<float[]> q = pool.free.get(n);
        float[] a = q == null ? null : q.pollLast();
        if (a != null) pool.bytes -= 4L * n;
        return a;
    }

    /**
     * Hands back the array under {@code t} for reuse. Only for a tensor that owns its whole array (a
     * fresh, contiguous op output at offset 0), that records no graph, and that nothing — no view,
     * no caller, no saved activation — will read again; anything else is ignored.
     */
    public static void recycle(Tensor t) {
        if (t == null || MAX_BYTES == 0 || t.requiresGrad() || !t.storage().isHeap() || t.offset() != 0 || !t.isContiguous()) return;
        float[] a = t.array();
        if (a.length == t.numel()) recycle(a);
    }

    /**
     * Hands back dead tensors that may be views of one array, as {@link ComputeProvider#linears} returns
     * stacked projections: that array whole when they all share it, else each as {@link #recycle(Tensor)}.
     * The same contract: nothing reads any of them, or what they view, again.
     */
    public static void recycleParts(Tensor... parts) {
        Storage shared = parts[0].storage();
        for (Tensor t : parts) if (t.storage() != shared) shared = null;
        if (shared != null && shared.isHeap() && parts.length > 1) recycle(parts[0].array());
        else for (Tensor t : parts) recycle(t);
    }

    /** Hands back an array that only the caller holds (a scratch array, or a gradient nobody keeps). */
    public static void recycle(float[] a) {
        if (a == null || MAX_BYTES == 0 || a.length < MIN_LENGTH) return;
        BufferPool pool = LOCAL.get();
        if (pool.bytes + 4L * a.length > MAX_BYTES) return;
        ArrayDeque<float[]> q = pool.free.computeIfAbsent(a.length, k -> new ArrayDeque<>());
        if (q.size() >= PER_SIZE) return;
        for (float[] held : q) if (held == a) return; // already returned: never lend one array twice
        q.addLast(a);
        pool.bytes += 4L * a.length;
    }

    /** Drops this thread's pooled arrays (tests; or to give memory back after a large batch). */
    public static void clear() {
        BufferPool pool = LOCAL.get();
        pool.free.clear();
        pool.bytes = 0;
    }
}
