package dev.vireo.search;

import dev.vireo.engine.nn.Parameter;
import dev.vireo.models.clip.ClipModel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** SHA-256 of a model's weights (names, shapes and float bits, in name order): which model made an index. */
public final class ModelFingerprint {
    private ModelFingerprint() {}

    public static String of(ClipModel model) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Parameter> e : new TreeMap<>(model.namedParameters()).entrySet()) {
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            for (int d : e.getValue().value().shape()) sha.update(ByteBuffer.allocate(4).putInt(d).array());
            float[] values = e.getValue().value().toArray();
            for (int i = 0; i < values.length; ) {
                buffer.clear();
                while (i < values.length && buffer.remaining() >= 4) buffer.putFloat(values[i++]);
                sha.update(buffer.array(), 0, buffer.position());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
