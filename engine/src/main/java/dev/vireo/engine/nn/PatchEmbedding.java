package dev.vireo.engine.nn;

import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * Cuts images into non-overlapping p×p patches and projects each to the model width: a conv2d with
 * stride = kernel = p and no bias, computed as reshape + matmul. The weight is stored (C, 3, p, p)
 * like PyTorch's {@code Conv2d}, so checkpoints map one to one.
 */
public final class PatchEmbedding extends Module {
    private final Parameter weight;
    private final int patch;
    private final int channels;
    private final int width;
    /** {@link #flatWeight()}'s view (one field, so that threads sharing the module see a view and its tensor together). */
    private volatile FlatView flat;

    public PatchEmbedding(Rng rng, int channels, int patch, int width) {
        this.patch = patch;
        this.channels = channels;
        this.width = width;
        int fanIn = channels * patch * patch;
        this.weight = parameter("weight", Init.uniform(rng, Init.linearBound(fanIn), width, channels, patch, patch));
    }

    /** images (B, 3, H, W) → patch features (B, P, C) with P = (H/p)·(W/p), row-major over the grid. */
    public Tensor forward(Tensor images) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != channels || s[2] % patch != 0 || s[3] % patch != 0) {
            throw new IllegalArgumentException("patch embedding: expects (B, " + channels + ", H, W) with H and W multiples of "
                    + patch + ", got " + Shapes.str(s));
        }
        int b = s[0], gh = s[2] / patch, gw = s[3] / patch;
        Tensor patches = images.reshape(b, channels, gh, patch, gw, patch) // (B, 3, gh, p, gw, p)
                .permute(0, 2, 4, 1, 3, 5)                                 // (B, gh, gw, 3, p, p)
                .reshape(b, gh * gw, channels * patch * patch);            // (B, P, 3·p·p)
        Tensor v = weight.value();
        if (!Node.willRecord(images, v)) return ComputeProvider.get().linear(patches, flatWeight(v), null, null, null); // (B, P, C)
        Tensor w = v.reshape(width, channels * patch * patch);             // (C, 3·p·p)
        return patches.matmul(w.transpose(0, 1));                          // (B, P, C)
    }

    /**
     * The weight as a (C, 3·p·p) view of its storage without gradient, the same object from call to
     * call while the parameter holds the same tensor: a provider keeps a registered weight's packed
     * form by identity, and the conv-shaped weight was the one weight of a ViT packed again on every image.
     */
    private Tensor flatWeight(Tensor v) {
        FlatView f = flat;
        if (f == null || f.of() != v) flat = f = new FlatView(v, v.detach().reshape(width, channels * patch * patch));
        return f.view();
    }

    /** A (C, 3·p·p) view and the parameter tensor it views. */
    private record FlatView(Tensor of, Tensor view) {}

    public Parameter weight() {
        return weight;
    }
}
