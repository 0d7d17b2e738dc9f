package dev.vireo.engine.io;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading and writing safetensors: the golden file from the Python script, the Rust test vectors, errors. */
class SafetensorsTest {
    @TempDir
    Path dir;

    static Path golden() {
        return Fixtures.path(SafetensorsTest.class, "/golden/golden.safetensors");
    }

    static byte[] bytes(SafetensorsWriter w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.writeTo(Channels.newChannel(out));
        return out.toByteArray();
    }

    static float half(float f) {
        return Float.float16ToFloat(Float.floatToFloat16(f));
    }

    static float brain(float f) {
        return Float.intBitsToFloat((SafetensorsWriter.toBfloat16(f) & 0xFFFF) << 16);
    }

    /** The same content the Python script writes. */
    static SafetensorsWriter goldenContent() {
        return new SafetensorsWriter()
                .put("layer.weight", Tensor.of(new float[] {0f, 1f, -2.5f, 3.25f, 1e-8f, -7e5f}, 2, 3))
                .put("half", Tensor.of(new float[] {0.1f, -1.5f, 65504f, 6.1e-5f}, 4), DType.F16)
                .put("brain", Tensor.of(new float[] {1f, 3.14159265f, -0.007f, 1234.5678f}, 2, 2), DType.BF16)
                .putLongs("ids", new long[] {0, -1, (1L << 40) + 3}, 3)
                .putInts("counts", new int[] {1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE}, 2, 2)
                .put("a.scalar", Tensor.scalar(42f).reshape())
                .put("empty", Tensor.zeros(0, 3))
                .metadata("note", "quote \" backslash \\ tab \t bell \u0007 café \u2713")
                .metadata("format", "pt");
    }

    @Test
    void readsTheGoldenFile() throws Exception {
        try (SafetensorsReader r = SafetensorsReader.open(golden())) {
            assertThat(r.names()).containsExactly("ids", "a.scalar", "empty", "layer.weight", "counts", "brain", "half");
            assertThat(r.metadata()).containsEntry("format", "pt").containsEntry("note", "quote \" backslash \\ tab \t bell \u0007 café \u2713");
            Tensor w = r.tensor("layer.weight");
            assertThat(w.shape()).containsExactly(2, 3);
            assertThat(w.storage().isHeap()).as("F32 is a view of the map").isFalse();
            assertThat(w.toArray()).containsExactly(0f, 1f, -2.5f, 3.25f, 1e-8f, -7e5f);
            assertThat(r.tensor("half").toArray()).containsExactly(half(0.1f), -1.5f, 65504f, half(6.1e-5f));
            assertThat(r.tensor("brain").toArray()).containsExactly(1f, brain(3.14159265f), brain(-0.007f), brain(1234.5678f));
            assertThat(r.tensor("brain").toArray()[1]).isEqualTo(3.140625f);
            assertThat(r.longs("ids")).containsExactly(0, -1, (1L << 40) + 3);
            assertThat(r.ints("counts")).containsExactly(1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE);
            assertThat(r.tensor("a.scalar").rank()).isZero();
            assertThat(r.tensor("a.scalar").item()).isEqualTo(42f);
            assertThat(r.tensor("empty").shape()).containsExactly(0, 3);
        }
    }

    @Test
    void writesTheGoldenBytes() throws Exception {
        assertThat(bytes(goldenContent())).isEqualTo(Files.readAllBytes(golden()));
    }

    /** Byte vectors from the reference implementation's own tests (safetensors/src/tensor.rs). */
    @Test
    void matchesTheRustTestVectors() throws Exception {
        float[] six = {0, 1, 2, 3, 4, 5};
        byte[] one = bytes(new SafetensorsWriter().put("attn.0", Tensor.of(six, 1, 2, 3)));
        assertThat(one).hasSize(8 + 64 + 24);
        assertThat(one[0]).isEqualTo((byte) 64);
        assertThat(new String(one, 8, 64)).isEqualTo("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}");
        byte[] padded = bytes(new SafetensorsWriter().put("attn0", Tensor.of(six, 1, 1, 2, 3)));
        assertThat(new String(padded, 8, 72)).isEqualTo("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ");
        assertThat(bytes(new SafetensorsWriter())).containsExactly(8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' ');
        byte[] meta = bytes(new SafetensorsWriter().metadata("framework", "pt"));
        assertThat(meta[0]).isEqualTo((byte) 40);
        assertThat(new String(meta, 8, 40)).isEqualTo("{\"__metadata__\":{\"framework\":\"pt\"}}     ");
    }

    @Test
    void roundTripsThroughAFile() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.arange(7));
        tensors.put("a", Tensor.arange(12).reshape(3, 4).transpose(0, 1));
        Path file = dir.resolve("x.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("k", "v"));
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertThat(r.names()).containsExactly("a", "b");
            assertThat(r.tensor("a").shape()).containsExactly(4, 3);
            assertThat(r.tensor("a").toArray()).containsExactly(tensors.get("a").toArray());
            assertThat(r.tensors().keySet()).containsExactly("a", "b");
            Tensor target = Tensor.zeros(7);
            r.copyInto("b", target);
            assertThat(target.toArray()).containsExactly(Tensor.arange(7).toArray());
        }
    }

    @Test
    void namesBothShapesWhenAParameterDoesNotFit() throws Exception {
        Path file = dir.resolve("w.safetensors");
        SafetensorsWriter.write(file, Map.of("proj.weight", Tensor.zeros(4, 3)), Map.of());
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertThatThrownBy(() -> r.copyInto("proj.weight", Tensor.zeros(3, 4)))
                    .isInstanceOf(CheckpointFormatException.class)
                    .hasMessageContaining("proj.weight").hasMessageContaining("(4, 3)").hasMessageContaining("(3, 4)")
                    .hasMessageContaining(file.toString());
            assertThatThrownBy(() -> r.tensor("missing")).isInstanceOf(CheckpointFormatException.class).hasMessageContaining("missing");
            assertThatThrownBy(() -> r.longs("proj.weight")).isInstanceOf(CheckpointFormatException.class).hasMessageContaining("F32");
        }
    }

    @Test
    void loadsAStateDictAndReportsUnusedTensors() throws Exception {
        Path file = dir.resolve("sd.safetensors");
        Map<String, Tensor> saved = new LinkedHashMap<>();
        saved.put("a", Tensor.arange(4));
        saved.put("b", Tensor.full(2f, 2, 2));
        saved.put("extra", Tensor.ones(1));
        SafetensorsWriter.write(file, saved, Map.of());
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("a", Tensor.zeros(4));
        params.put("b", Tensor.zeros(2, 2));
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertThat(r.loadInto(params)).containsExactly("extra");
            assertThat(params.get("b").toArray()).containsOnly(2f);
            assertThatThrownBy(() -> r.loadInto(Map.of("missing", Tensor.zeros(3)))).isInstanceOf(CheckpointFormatException.class)
                    .hasMessageContaining("missing").hasMessageContaining("(3,)");
        }
    }

    @Test
    void mappedTensorsFailCleanlyAfterClose() throws Exception {
        Path file = dir.resolve("c.safetensors");
        SafetensorsWriter.write(file, Map.of("t", Tensor.ones(3)), Map.of());
        Tensor t;
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            t = r.tensor("t");
        }
        assertThatThrownBy(t::toArray).isInstanceOf(IllegalStateException.class);
    }

    /** Writes a file with the given header text and data length, and returns the error of opening it. */
    private String errorOf(String headerJson, int dataBytes) throws IOException {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, buf.array());
        try (SafetensorsReader ignored = SafetensorsReader.open(file)) {
            throw new AssertionError("opened a bad file: " + headerJson);
        } catch (CheckpointFormatException e) {
            assertThat(e.getMessage()).contains(file.toString());
            return e.getMessage();
        }
    }

    @Test
    void explainsBadFiles() throws Exception {
        String t = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertThat(errorOf("{\"t\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8)).contains("unknown dtype \"F33\"");
        assertThat(errorOf("{\"t\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)).contains("'t'").contains("needs 12 bytes");
        assertThat(errorOf("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8)).contains("invalid JSON");
        assertThat(errorOf(t, 12)).contains("cover 8 bytes").contains("holds 12");
        assertThat(errorOf("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)).contains("gap");
        assertThat(errorOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)).contains("'b'").contains("overlap");
        assertThat(errorOf("{\"t\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8)).contains("overflow");
        assertThat(errorOf("[]", 0)).contains("does not start with '{'");
        assertThat(errorOf("{\"__metadata__\":{\"a\":1}}", 0)).contains("not a string");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsReader.open(tiny)).isInstanceOf(CheckpointFormatException.class).hasMessageContaining("too short");
        Path past = dir.resolve("past.safetensors");
        Files.write(past, new byte[] {100, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        assertThatThrownBy(() -> SafetensorsReader.open(past)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("runs past the end of the file");
        assertThat(List.of(DType.values())).hasSize(15);
    }
}
