package dev.vireo.engine.io;

import dev.vireo.engine.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The checksum a checkpoint stores in its {@code checksum} metadata: CRC32C over every other metadata
 * entry (key and value) and every tensor (name, shape, values as little-endian float32), in name order.
 * It catches what atomic saving cannot: a bit that changed on disk or in a copy, or a file torn by a
 * copy tool, before a resumed run trains on it. Not a defence against tampering (use a signature for that).
 */
final class CheckpointChecksum {
    /** Metadata key, and the prefix of its value (the algorithm, so it can change without ambiguity). */
    static final String KEY = "checksum";
    private static final String PREFIX = "crc32c:";
    /** Floats converted to bytes at a time. */
    private static final int CHUNK = 1 << 14;

    private CheckpointChecksum() {}

    /** The checksum of {@code metadata} (its own {@value #KEY} entry left out) and {@code tensors} by stored name. */
    static String of(Map<String, String> metadata, Map<String, Tensor> tensors) {
        CRC32C crc = new CRC32C();
        ByteBuffer bytes = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        new TreeMap<>(metadata).forEach((k, v) -> {
            if (k.equals(KEY)) return;
            text(crc, bytes, k);
            text(crc, bytes, v);
        });
        for (Map.Entry<String, Tensor> e : new TreeMap<>(tensors).entrySet()) {
            text(crc, bytes, e.getKey());
            int[] shape = e.getValue().shape();
            bytes.clear();
            bytes.putInt(shape.length);
            for (int d : shape) bytes.putInt(d);
            crc.update(bytes.flip());
            // read in place: the tensors here are heap snapshots, and a checkpoint's weights and
            // optimiser state copied once more would double the memory a large save or load needs
            Tensor values = e.getValue().dense();
            float[] array = values.array();
            int from = values.offset(), count = values.numel();
            for (int i = 0; i < count; i += CHUNK) {
                int n = Math.min(CHUNK, count - i);
                bytes.clear();
                bytes.asFloatBuffer().put(array, from + i, n);
                crc.update(bytes.limit(4 * n));
            }
        }
        return PREFIX + Long.toHexString(crc.getValue());
    }

    /**
     * Checks a loaded checkpoint against the checksum in its metadata; one saved before checksums
     * (no {@value #KEY} entry) passes unchecked.
     */
    static void verify(String file, Map<String, String> metadata, Map<String, Tensor> tensors) {
        String saved = metadata.get(KEY);
        if (saved == null) return;
        if (!saved.startsWith(PREFIX)) {
            throw new CheckpointFormatException("checkpoint " + file + ": checksum '" + saved + "' is not " + PREFIX + "…");
        }
        String actual = of(metadata, tensors);
        if (!actual.equals(saved)) {
            throw new CheckpointFormatException("checkpoint " + file + ": its contents do not match the checksum saved with them ("
                    + actual + ", saved " + saved + "): the file changed after it was written (a flipped bit or a torn copy);"
                    + " resume from another checkpoint");
        }
    }

    /** A string's UTF-8 length (4 bytes, little-endian) then its bytes; {@code scratch} is any little-endian buffer. */
    private static void text(CRC32C crc, ByteBuffer scratch, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        crc.update(scratch.clear().putInt(b.length).flip());
        crc.update(b);
    }
}
