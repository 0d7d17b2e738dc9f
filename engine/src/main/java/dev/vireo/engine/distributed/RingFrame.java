package dev.vireo.engine.distributed;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The one message the ring sends: a 24-byte header then {@code length} little-endian floats.
 * Header, little-endian: magic "VRNG" (int), operation (int), call number (long, counting this
 * rank's collective calls), ring step within the call (int), length in floats (int). A receiver
 * states what it expects and refuses anything else before reading the payload, so a peer out of
 * step is an error naming both, never silently summed garbage, and a hostile length allocates nothing.
 * An instance owns its byte buffer: one for the sending thread, one for the receiving one.
 */
final class RingFrame {
    /** "VRNG" read as a little-endian int. */
    static final int MAGIC = 0x474E_5256;
    static final int HEADER_BYTES = 24;
    /** Floats per write or read of the payload: 64 KiB, whatever the buffer's length. */
    private static final int PIECE_FLOATS = 16_384;

    /** What a frame belongs to. */
    enum Op {
        REDUCE("allReduceSum (reduce-scatter)"), SPREAD("allReduceSum (all-gather)"), GATHER("allGather"), BARRIER("barrier");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    /** A frame other than the one expected arrived whole: the connection works, the peers disagree. */
    static final class Mismatch extends IOException {
        Mismatch(String message) {
            super(message);
        }
    }

    private final ByteBuffer bytes = ByteBuffer.allocate(PIECE_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);

    /** Sends {@code src[off, off + len)} as one frame and flushes it. */
    void write(OutputStream out, Op op, long call, int step, float[] src, int off, int len) throws IOException {
        bytes.clear();
        bytes.putInt(MAGIC).putInt(op.ordinal()).putLong(call).putInt(step).putInt(len);
        out.write(bytes.array(), 0, HEADER_BYTES);
        for (int done = 0; done < len; ) {
            int n = Math.min(PIECE_FLOATS, len - done);
            bytes.clear();
            bytes.asFloatBuffer().put(src, off + done, n);
            out.write(bytes.array(), 0, n * Float.BYTES);
            done += n;
        }
        out.flush();
    }

    /**
     * Reads one frame into {@code dst[off, off + len)}, refusing a header other than the expected
     * one; {@code from} names the sender in the message.
     */
    void read(InputStream in, Op op, long call, int step, float[] dst, int off, int len, String from) throws IOException {
        readFully(in, HEADER_BYTES, from);
        bytes.clear();
        int magic = bytes.getInt(), opCode = bytes.getInt(), got = bytes.getInt(HEADER_BYTES - 4);
        long gotCall = bytes.getLong(8);
        int gotStep = bytes.getInt(16);
        if (magic != MAGIC) {
            throw new Mismatch(from + " sent bytes that are not a ring frame (magic 0x" + Integer.toHexString(magic) + ")");
        }
        if (opCode != op.ordinal() || gotCall != call || gotStep != step) {
            String what = opCode >= 0 && opCode < Op.values().length ? Op.values()[opCode].label : "operation " + opCode;
            throw new Mismatch(from + " is out of step: expected " + op.label + " #" + call + " step " + step + ", got "
                    + what + " #" + gotCall + " step " + gotStep + " (the ranks must call the same operations in the same order)");
        }
        if (got != len) {
            throw new Mismatch(from + " sent " + got + " floats where " + len + " were expected in " + op.label + " #" + call
                    + " (the ranks' buffers differ in length)");
        }
        for (int done = 0; done < len; ) {
            int n = Math.min(PIECE_FLOATS, len - done);
            readFully(in, n * Float.BYTES, from);
            bytes.clear();
            bytes.asFloatBuffer().get(dst, off + done, n);
            done += n;
        }
    }

    private void readFully(InputStream in, int n, String from) throws IOException {
        int done = 0;
        while (done < n) {
            int r = in.read(bytes.array(), done, n - done);
            if (r < 0) throw new EOFException(from + " closed the connection");
            done += r;
        }
    }
}
