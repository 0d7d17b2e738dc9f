package dev.vireo.models.lit;

import dev.vireo.engine.tensor.Tensor;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A frozen pretrained text tower seen through its output: each distinct sentence is encoded once and
 * its vector kept, under a small integer id. Training captions built from templates repeat a few
 * sentences many times, so a run encodes each of them once and never runs the tower again. The
 * vectors are constants: nothing flows back into the tower.
 */
public final class LockedTextTower {
    /** The pretrained encoder: sentences → vectors (N, width), in input order. */
    @FunctionalInterface
    public interface Encoder {
        float[][] encode(List<String> sentences);
    }

    private final Encoder encoder;
    private final int width;
    private final Object2IntOpenHashMap<String> ids = new Object2IntOpenHashMap<>();
    private final List<float[]> vectors = new ArrayList<>();

    public LockedTextTower(Encoder encoder, int width) {
        if (width <= 0) throw new IllegalArgumentException("locked text tower: width must be positive, got " + width);
        this.encoder = encoder;
        this.width = width;
        ids.defaultReturnValue(-1);
    }

    /** The ids of {@code sentences}, encoding in one call those not seen before. */
    public int[] ids(List<String> sentences) {
        Set<String> fresh = new LinkedHashSet<>();
        for (String s : sentences) if (!ids.containsKey(s)) fresh.add(s);
        if (!fresh.isEmpty()) {
            List<String> batch = List.copyOf(fresh);
            float[][] encoded = encoder.encode(batch);
            for (int i = 0; i < batch.size(); i++) {
                if (encoded[i].length != width) {
                    throw new IllegalStateException("locked text tower: the encoder gave " + encoded[i].length
                            + " values for \"" + batch.get(i) + "\", expected " + width);
                }
                ids.put(batch.get(i), vectors.size());
                vectors.add(encoded[i]);
            }
        }
        int[] out = new int[sentences.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.getInt(sentences.get(i));
        return out;
    }

    /** The cached vectors of ids as a constant tensor (B, width). */
    public Tensor vectors(int[] idList) {
        float[] out = new float[idList.length * width]; // (B, W)
        for (int i = 0; i < idList.length; i++) {
            if (idList[i] < 0 || idList[i] >= vectors.size()) {
                throw new IllegalArgumentException("locked text tower: no sentence has id " + idList[i] + " (" + vectors.size() + " cached)");
            }
            System.arraycopy(vectors.get(idList[i]), 0, out, i * width, width);
        }
        return Tensor.of(out, idList.length, width); // (B, W)
    }

    /** The vectors of sentences (B, width), encoding the new ones. */
    public Tensor vectors(List<String> sentences) {
        return vectors(ids(sentences)); // (B, W)
    }

    /** How many distinct sentences have been encoded. */
    public int cached() {
        return vectors.size();
    }

    public int width() {
        return width;
    }
}
