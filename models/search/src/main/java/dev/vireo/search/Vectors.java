package dev.vireo.search;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Small vector and id helpers of the index. */
final class Vectors {
    private Vectors() {}

    /** A unit-length copy (cosine becomes a dot product); a zero vector is refused. */
    static float[] normalised(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        if (!(sum > 0) || !Double.isFinite(sum)) throw new IllegalArgumentException("a zero or non-finite embedding cannot be searched");
        float inv = (float) (1 / Math.sqrt(sum));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * inv;
        return out;
    }

    /** Dot product in double, rounded once: the cosine of two unit vectors. */
    static float dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return (float) s;
    }

    /** An image's index id: the first 16 hex digits of the SHA-256 of its absolute path. */
    static String id(String path) {
        return HexFormat.of().formatHex(sha256().digest(path.getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
