package dev.vireo.engine.io;

import java.util.Arrays;

/**
 * One tensor listed in a safetensors header: its name, element type, shape and byte range
 * {@code [begin, end)} within the data section (which starts right after the header).
 */
public record TensorEntry(String name, DType dtype, long[] shape, long begin, long end) {

    /** Number of elements (product of the shape; 1 for a scalar). */
    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Byte length of the data. */
    public long byteSize() {
        return end - begin;
    }

    /** The shape as {@code [a, b, c]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorEntry e && name.equals(e.name) && dtype == e.dtype && Arrays.equals(shape, e.shape)
                && begin == e.begin && end == e.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString() + " @[" + begin + ", " + end + ")";
    }
}
