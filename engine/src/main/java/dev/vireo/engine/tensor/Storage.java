package dev.vireo.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The memory behind tensors: either a heap {@code float[]} (what kernels compute on) or a
 * {@link MemorySegment} (memory-mapped weights today; memory shared with a device backend later).
 *
 * <p>Off-heap storage made by {@link #allocateOffHeap} keeps {@value #DEVICE_HEADER_BYTES} bytes of
 * slack before the data: TornadoVM's native arrays carry a 16-byte header, so a device backend can
 * wrap this memory without copying ({@code FloatArray.fromSegmentShallow}).
 */
public final class Storage {
    /** Bytes kept free before off-heap data for a device array header. */
    public static final int DEVICE_HEADER_BYTES = 16;

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

    /** Off-heap zeros with {@value #DEVICE_HEADER_BYTES} bytes of header slack, owned by {@code arena}. */
    public static Storage allocateOffHeap(Arena arena, long floats) {
        MemorySegment whole = arena.allocate(DEVICE_HEADER_BYTES + floats * Float.BYTES, 64);
        return of(whole.asSlice(DEVICE_HEADER_BYTES, floats * Float.BYTES));
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
