package dev.vireo.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The memory behind tensors: either a heap {@code float[]} (what kernels compute on) or a
 * {@link MemorySegment} (memory-mapped weights). Heap storage made by {@link #lazyZeros} allocates
 * its array on first use: a model built only to have every weight loaded into it (or replaced by a
 * mapped one) never pays for zero-filling arrays it throws away.
 */
public final class Storage {
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The heap array; null for segment storage and, until first use, for {@link #lazyZeros}. */
    private volatile float[] array;
    private final MemorySegment segment;
    private final long size;

    private Storage(float[] array, MemorySegment segment, long size) {
        this.array = array;
        this.segment = segment;
        this.size = size;
    }

    /** Heap storage over an existing array (no copy). */
    public static Storage of(float[] array) {
        return new Storage(array, null, array.length);
    }

    /** Heap storage of n zeros. */
    public static Storage zeros(int n) {
        return of(new float[n]);
    }

    /**
     * Heap storage of n zeros whose array is allocated when first read or written. Building
     * ViT-B/32's CLIP for a memory-mapped checkpoint zero-filled 605 MB that the mapped weights then
     * replaced: about a second of a cold {@code vireo embed}, in first touches of fresh pages.
     */
    public static Storage lazyZeros(int n) {
        if (n < 0) throw new IllegalArgumentException("storage: negative size " + n);
        return new Storage(null, null, n);
    }

    /** Storage viewing little-endian float32 data in a segment (no copy); the segment's owner keeps it alive. */
    public static Storage of(MemorySegment littleEndianFloats) {
        if (littleEndianFloats.byteSize() % Float.BYTES != 0) {
            throw new IllegalArgumentException("storage: segment of " + littleEndianFloats.byteSize()
                    + " bytes is not a whole number of float32 values");
        }
        return new Storage(null, littleEndianFloats, littleEndianFloats.byteSize() / Float.BYTES);
    }

    public long size() {
        return size;
    }

    public boolean isHeap() {
        return segment == null;
    }

    /** Whether heap storage holds its array yet: false only for {@link #lazyZeros} before its first use, and for a segment. */
    public boolean isAllocated() {
        return array != null;
    }

    /** The heap array; fails for segment storage (use {@link Tensor#dense()} to get a heap copy). */
    public float[] array() {
        float[] a = array;
        return a != null ? a : allocate();
    }

    private synchronized float[] allocate() {
        if (segment != null) throw new IllegalStateException("storage is off-heap; call Tensor.dense() for a heap copy");
        if (array == null) array = new float[(int) size];
        return array;
    }

    /** The segment, or null for heap storage. */
    public MemorySegment segment() {
        return segment;
    }

    public float get(long i) {
        return segment == null ? array()[(int) i] : segment.getAtIndex(LE_FLOAT, i);
    }

    public void set(long i, float v) {
        if (segment == null) array()[(int) i] = v;
        else segment.setAtIndex(LE_FLOAT, i, v);
    }

    /** Copies n floats starting at {@code from} into {@code dst[dstOff..]}. */
    public void copyTo(long from, float[] dst, int dstOff, int n) {
        if (segment == null) {
            System.arraycopy(array(), (int) from, dst, dstOff, n);
        } else {
            MemorySegment.copy(segment, LE_FLOAT, from * Float.BYTES, dst, dstOff, n);
        }
    }
}
