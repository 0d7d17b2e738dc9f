package dev.vireo.engine.io;

import dev.vireo.engine.io.json.JsonWriter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutates valid safetensors files (truncation, bit flips, byte splices, random headers; seeded)
 * and checks every one either loads completely or fails with a {@link CheckpointFormatException}:
 * never an IndexOutOfBounds, NullPointer or other unchecked surprise.
 */
class SafetensorsFuzzTest {
    private static final int CASES = 3000;
    private static final List<String> WORDS = List.of("{", "}", "[", "]", ",", ":", "\"", "\"dtype\"", "\"shape\"",
            "\"data_offsets\"", "\"F32\"", "\"BF16\"", "\"I64\"", "\"__metadata__\"", "0", "4", "-1", "18446744073709551615",
            "99999999999", "\"t\"", " ", "\\u0000", "1.5", "null");

    @TempDir
    Path dir;

    @Test
    void everyMutationLoadsOrFailsWithAFormatError() throws Exception {
        byte[] valid = Files.readAllBytes(SafetensorsTest.golden());
        byte[] other = SafetensorsTest.bytes(new SafetensorsWriter()
                .put("w", Tensor.arange(10).reshape(2, 5)).put("b", Tensor.ones(3), DType.BF16).metadata("m", "x"));
        Rng rng = new Rng(20261128);
        Path file = dir.resolve("fuzz.safetensors");
        int rejected = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] mutant = mutate(rng, rng.nextInt(2) == 0 ? valid : other);
            Files.write(file, mutant);
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                for (String name : r.names()) {
                    TensorEntry e = r.entry(name);
                    if (e.dtype().isFloat32Loadable()) r.tensor(name).toArray();
                    else if (e.dtype() == DType.I64) r.longs(name);
                    else if (e.dtype() == DType.I32) r.ints(name);
                }
                r.metadata().size();
            } catch (CheckpointFormatException e) {
                assertThat(e.getMessage()).contains(file.toString());
                rejected++;
            } catch (RuntimeException e) {
                throw new AssertionError("case " + c + ": " + e + " for bytes " + Arrays.toString(Arrays.copyOf(mutant, Math.min(200, mutant.length))), e);
            }
        }
        assertThat(rejected).as("most mutants are invalid").isGreaterThan(CASES / 2);
    }

    private static byte[] mutate(Rng rng, byte[] valid) {
        byte[] b = valid.clone();
        return switch (rng.nextInt(6)) {
            case 0 -> Arrays.copyOf(b, rng.nextInt(b.length)); // truncation
            case 1 -> { // bit flips
                int flips = 1 + rng.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = rng.nextInt(b.length);
                    b[at] ^= (byte) (1 << rng.nextInt(8));
                }
                yield b;
            }
            case 2 -> { // a random byte in the header length
                b[rng.nextInt(8)] = (byte) rng.nextInt(256);
                yield b;
            }
            case 3 -> { // random bytes in the JSON header
                int n = (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                int at = 8 + rng.nextInt(n);
                b[at] = (byte) rng.nextInt(256);
                yield b;
            }
            case 4 -> withHeader(randomHeader(rng), rng.nextInt(64)); // random header from JSON-ish words
            default -> withHeader(randomTensorHeader(rng), rng.nextInt(48)); // well-formed JSON, random numbers
        };
    }

    private static String randomHeader(Rng rng) {
        StringBuilder sb = new StringBuilder("{");
        int n = rng.nextInt(30);
        for (int i = 0; i < n; i++) sb.append(WORDS.get(rng.nextInt(WORDS.size())));
        return sb.toString();
    }

    private static String randomTensorHeader(Rng rng) {
        StringBuilder sb = new StringBuilder("{");
        int n = 1 + rng.nextInt(3);
        String[] types = {"F32", "F16", "BF16", "I64", "I32", "U8", "F64", "X"};
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(',');
            JsonWriter.string(sb, "t" + i);
            sb.append(":{\"dtype\":\"").append(types[rng.nextInt(types.length)]).append("\",\"shape\":[");
            int rank = rng.nextInt(3);
            for (int d = 0; d < rank; d++) sb.append(d > 0 ? "," : "").append(rng.nextInt(5));
            sb.append("],\"data_offsets\":[").append(rng.nextInt(40)).append(',').append(rng.nextInt(48)).append("]}");
        }
        return sb.append('}').toString();
    }

    private static byte[] withHeader(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        return buf.array();
    }
}
