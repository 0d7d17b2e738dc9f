package dev.vireo.engine.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounded cursor over protocol-buffer wire format (varints, 64-bit, length-delimited and 32-bit
 * fields) in a memory segment. Every length is checked against the bytes that remain in the
 * enclosing message before anything is read or allocated, so a damaged or hostile file ends in a
 * {@link CheckpointFormatException} naming the file and the offset, never in a huge allocation.
 */
final class ProtoWire {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;
    /** The largest field number protocol buffers allow, 2^29 - 1: with the wire type, a tag fits an int. */
    static final long MAX_FIELD = (1L << 29) - 1;
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String source;
    private final MemorySegment data;
    private long pos;
    private final long end;

    ProtoWire(String source, MemorySegment data, long begin, long end) {
        this.source = source;
        this.data = data;
        this.pos = begin;
        this.end = end;
    }

    boolean hasMore() {
        return pos < end;
    }

    long position() {
        return pos;
    }

    /** The next field's tag: field number << 3 | wire type. */
    int tag() {
        long tag = varint();
        long field = tag >>> 3;
        if (field <= 0 || field > MAX_FIELD) throw error("field number " + Long.toUnsignedString(field) + " is not valid");
        return (int) tag;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw error("a varint runs past the end of its message");
            byte b = data.get(ValueLayout.JAVA_BYTE, pos++);
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) return value;
        }
        throw error("a varint is longer than 10 bytes");
    }

    /** A length-delimited field's payload as [begin, end) after checking it fits; the cursor moves past it. */
    long[] span() {
        long length = varint();
        if (length < 0 || length > end - pos) {
            throw error("a field of " + Long.toUnsignedString(length) + " bytes runs past the end of its message (" + (end - pos) + " bytes left)");
        }
        long begin = pos;
        pos += length;
        return new long[] {begin, pos};
    }

    /** A nested message over a span. */
    ProtoWire message(long[] span) {
        return new ProtoWire(source, data, span[0], span[1]);
    }

    String string(int maxBytes) {
        long[] s = span();
        long n = s[1] - s[0];
        if (n > maxBytes) throw error("a string of " + n + " bytes is longer than the " + maxBytes + " allowed");
        return new String(data.asSlice(s[0], n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    void skip(int tag) {
        switch (tag & 7) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LEN -> span();
            case FIXED32 -> advance(4);
            default -> throw error("wire type " + (tag & 7) + " (groups or unknown) is not supported");
        }
    }

    private void advance(long n) {
        if (n > end - pos) throw error("a fixed-size field runs past the end of its message");
        pos += n;
    }

    /** A little-endian 64-bit value at an absolute offset already checked to lie in the message. */
    long int64At(long offset) {
        return data.get(LE_LONG, offset);
    }

    CheckpointFormatException error(String what) {
        return new CheckpointFormatException("ONNX " + source + ": " + what + " (at byte " + pos + ")");
    }
}
