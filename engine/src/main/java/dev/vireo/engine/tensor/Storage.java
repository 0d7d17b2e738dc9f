package dev.vireo.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The memory behind tensors: either a heap {@code float[]} (what kernels compute on) or a
 * {@link MemorySegment} (memory-mapped weights).
 */
public final class Storage {
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final float[] array;
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
        return array != null;
    }

    /** The heap array; fails for segment storage (use {@link Tensor#dense()} to get a heap copy). */
    public float[] array() {
        if (array == null) throw new IllegalStateException("storage is off-heap; call Tensor.dense() for a heap copy");
        return array;
    }

    /** The segment, or null for heap storage. */
    public MemorySegment segment() {
        return segment;
    }

    public float get(long i) {
        return array != null ? array[(int) i] : segment.getAtIndex(LE_FLOAT, i);
    }

    public void set(long i, float v) {
        if (array != null) array[(int) i] = v;
        else segment.setAtIndex(LE_FLOAT, i, v);
    }

    /** Copies n floats starting at {@code from} into {@code dst[dstOff..]}. */
    public void copyTo(long from, float[] dst, int dstOff, int n) {
        if (array != null) {
            System.arraycopy(array, (int) from, dst, dstOff, n);
        } else {
            MemorySegment.copy(segment, LE_FLOAT, from * Float.BYTES, dst, dstOff, n);
        }
    }
}
