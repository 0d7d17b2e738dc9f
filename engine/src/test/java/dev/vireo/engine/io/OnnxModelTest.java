package dev.vireo.engine.io;

import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ONNX reader on models written here with a minimal protobuf encoder: initializers (raw and
 * float_data, FLOAT16, INT64), nodes with constants, and damaged or hostile files (truncated,
 * lengths past the end, shapes beyond 2^31 elements, data of the wrong size, external data,
 * random corruption), each a one-line {@link CheckpointFormatException} and never a huge allocation.
 */
class OnnxModelTest {

    /** A protobuf message under construction. */
    static final class Proto {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            tag(field, 0);
            raw(v);
            return this;
        }

        Proto bytes(int field, byte[] b) {
            tag(field, 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.out.toByteArray());
        }

        private void tag(int field, int wire) {
            raw((long) field << 3 | wire);
        }

        void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) (v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static byte[] floatsLe(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    static Proto tensor(String name, int type, long[] dims, byte[] raw) {
        Proto t = new Proto();
        for (long d : dims) t.varint(1, d);
        t.varint(2, type).string(8, name);
        if (raw != null) t.bytes(9, raw);
        return t;
    }

    static byte[] model(Proto... graphParts) {
        Proto g = new Proto().string(2, "g");
        for (Proto p : graphParts) g.out.writeBytes(p.bytes());
        return new Proto().varint(1, 8).string(2, "test").message(7, g).bytes();
    }

    static Proto initializer(Proto t) {
        return new Proto().message(5, t);
    }

    static byte[] valid() {
        Proto node = new Proto().string(1, "x").string(1, "w").string(2, "y").string(4, "MatMul");
        Proto constTensor = new Proto().varint(1, 2).varint(2, OnnxModel.INT64)
                .bytes(9, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(12).putLong(32).array());
        Proto constant = new Proto().string(2, "c").string(4, "Constant")
                .message(5, new Proto().string(1, "value").message(5, constTensor));
        Proto packedFloats = new Proto().varint(1, 2).varint(2, OnnxModel.FLOAT).string(8, "packed").bytes(4, floatsLe(1.5f, -2f));
        ByteBuffer half = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort(Float.floatToFloat16(0.5f)).putShort(Float.floatToFloat16(-3f));
        return model(new Proto().message(1, node), new Proto().message(1, constant),
                initializer(tensor("w", OnnxModel.FLOAT, new long[] {2, 3}, floatsLe(1, 2, 3, 4, 5, 6))),
                initializer(packedFloats),
                initializer(tensor("h", OnnxModel.FLOAT16, new long[] {2}, half.array())),
                initializer(tensor("ids", OnnxModel.INT64, new long[] {1}, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(7).array())),
                new Proto().message(11, new Proto().string(1, "x")));
    }

    @Test
    void readsInitializersNodesAndConstants() {
        try (OnnxModel m = OnnxModel.parse("valid.onnx", valid())) {
            assertThat(m.initializers().keySet()).containsExactly("w", "packed", "h", "ids");
            assertThat(m.floats("w")).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(m.tensor("w").shape()).containsExactly(2, 3);
            assertThat(m.floats("packed")).containsExactly(1.5f, -2f);
            assertThat(m.floats("h")).containsExactly(0.5f, -3f);
            assertThat(m.longs("ids")).containsExactly(7L);
            assertThat(m.nodes()).hasSize(2);
            assertThat(m.nodes().getFirst().opType()).isEqualTo("MatMul");
            assertThat(m.nodes().getFirst().inputs()).containsExactly("x", "w");
            assertThat(m.nodes().get(1).constant()).containsExactly(12L, 32L);
            assertThat(m.inputs()).containsExactly("x");
            assertThatThrownBy(() -> m.floats("missing")).hasMessageContaining("no initializer 'missing'");
            assertThatThrownBy(() -> m.floats("ids")).hasMessageContaining("not a floating-point type");
        }
    }

    @Test
    void damagedFilesAreOneLineErrors() {
        assertFormatError(new byte[0], "no graph");
        assertFormatError(new byte[] {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, "runs past the end");
        assertFormatError(model(initializer(tensor("big", OnnxModel.FLOAT, new long[] {1L << 20, 1L << 20}, new byte[4]))), "beyond 2^31 elements");
        assertFormatError(model(initializer(tensor("short", OnnxModel.FLOAT, new long[] {4}, new byte[12]))), "needs 16 bytes of data but has 12");
        assertFormatError(model(initializer(tensor("odd", 99, new long[] {1}, new byte[4]))), "data type 99");
        assertFormatError(model(initializer(tensor("", OnnxModel.FLOAT, new long[] {1}, new byte[4]))), "has no name");
        assertFormatError(model(initializer(tensor("ext", OnnxModel.FLOAT, new long[] {1}, null).varint(14, 1))), "external file");
        Proto deep = new Proto();
        for (int i = 0; i < 17; i++) deep.varint(1, 1);
        assertFormatError(model(initializer(deep.varint(2, 1).string(8, "deep"))), "more than 16 dimensions");
        byte[] truncated = valid();
        assertFormatError(Arrays.copyOf(truncated, truncated.length - 3), "past the end");
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherError() {
        byte[] good = valid();
        Rng rng = new Rng(9);
        int failures = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] bad = good.clone();
            int flips = 1 + rng.nextInt(4);
            for (int f = 0; f < flips; f++) bad[rng.nextInt(bad.length)] ^= (byte) (1 << rng.nextInt(8));
            if (rng.nextInt(4) == 0) bad = Arrays.copyOf(bad, rng.nextInt(bad.length));
            try (OnnxModel m = OnnxModel.parse("fuzz.onnx", bad)) {
                for (String name : m.initializers().keySet()) {
                    if (m.initializer(name).dataType() != OnnxModel.INT64) m.floats(name);
                }
            } catch (CheckpointFormatException e) {
                assertThat(e.getMessage()).startsWith("ONNX fuzz.onnx: ").doesNotContain("\n");
                failures++;
            }
        }
        assertThat(failures).isGreaterThan(100);
    }

    @Test
    void aFieldNumberBeyondProtobufsLimitIsRefusedNotReadAsALowerOne() {
        // the graph under field 2^29 + 7: its tag, 2^32 + 58, was cut to an int (58) and read as the graph's field 7
        byte[] graph = new Proto().string(2, "g").message(5, tensor("w", OnnxModel.FLOAT, new long[] {1}, floatsLe(1))).bytes();
        Proto model = new Proto().varint(1, 8);
        model.raw(((1L << 29) + 7) << 3 | 2);
        model.raw(graph.length);
        model.out.writeBytes(graph);
        assertFormatError(model.bytes(), "field number 536870919 is not valid");
    }

    @Test
    void emptyConstantTensorsAllocateNextToNothing() {
        // a Constant's value attribute with 20,000 empty tensors (2 bytes each): each one made a 64-long buffer (528 bytes) before
        Proto attribute = new Proto().string(1, "value");
        for (int i = 0; i < 20_000; i++) attribute.bytes(5, new byte[0]);
        byte[] file = model(new Proto().message(1, new Proto().string(2, "c").string(4, "Constant").message(5, attribute)));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        OnnxModel.parse("warm.onnx", file).close();
        long before = threads.getCurrentThreadAllocatedBytes();
        try (OnnxModel m = OnnxModel.parse("constants.onnx", file)) {
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(m.nodes().getFirst().constant()).as("no INT64 tensor among them").isNull();
            assertThat(allocated).as("bytes allocated reading a %d-byte file", file.length).isLessThan(4L << 20);
        }
    }

    private static void assertFormatError(byte[] bytes, String message) {
        assertThatThrownBy(() -> OnnxModel.parse("bad.onnx", bytes).close()).isInstanceOf(CheckpointFormatException.class)
                .hasMessageStartingWith("ONNX bad.onnx: ").hasMessageContaining(message);
    }

    @Test
    void listsAreCopies() {
        try (OnnxModel m = OnnxModel.parse("valid.onnx", valid())) {
            assertThatThrownBy(() -> m.nodes().add(new OnnxModel.Node("X", List.of(), List.of(), null)))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
