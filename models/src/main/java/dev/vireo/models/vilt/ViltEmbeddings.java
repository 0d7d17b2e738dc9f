package dev.vireo.models.vilt;

import dev.vireo.engine.autograd.LinearOp;
import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.nn.Embedding;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.BertEmbeddings;

/**
 * ViLT's input sequence (transformers' {@code ViltEmbeddings}, its names): the question's BERT
 * embeddings ({@code text_embeddings}: word + position + token type, layer norm), then the image's
 * [CLS] token and its valid patches, each patch projected by a stride-p convolution and given the
 * learned G x G position grid resized (bilinear, corners aligned) to the image's own patch grid;
 * every token gets its modality's {@code token_type_embeddings} row (0 text, 1 image).
 *
 * <p>A patch is valid when the nearest-neighbour resize of the pixel mask to the patch grid marks it
 * (in practice, when its top-left pixel is the image's, not padding). transformers then gathers
 * every image's valid patches and fills the shorter images up to the batch's longest with masked
 * padding patches drawn at random, in a random order; the [CLS]-pooled output sees neither the
 * order nor the masked tokens, so keeping the valid patches in grid order and padding with masked
 * tokens gives its logits. With {@code max_image_length} &gt; 0 transformers keeps a random sample
 * of that many patches of a larger image (its training-time augmentation); here every valid patch
 * is kept, so the result is deterministic and matches transformers whenever it keeps them all.
 */
public final class ViltEmbeddings extends Module {
    private final ViltConfig config;
    private final BertEmbeddings text;
    private final Parameter clsToken;
    private final Patches patchEmbeddings;
    private final Parameter positions;
    private final Embedding modality;

    /** The joined sequence (B, T + 1 + L, C) and its attention mask (B, T + 1 + L): 1 to attend, 0 for padding. */
    public record Output(Tensor embeddings, Tensor mask) {}

    /** {@code patch_embeddings}: holds the {@code projection} convolution. */
    static final class Patches extends Module {
        final PatchProjection projection;

        Patches(Rng rng, int patch, int width) {
            this.projection = child("projection", new PatchProjection(rng, patch, width));
        }
    }

    /** A conv2d with stride = kernel = p and a bias ({@code weight} (C, 3, p, p), {@code bias} (C)), as reshape + GEMM. */
    static final class PatchProjection extends Module {
        final Parameter weight;
        final Parameter bias;
        final int patch;
        final int width;

        PatchProjection(Rng rng, int patch, int width) {
            this.weight = parameter("weight", Tensor.randn(rng, 0f, 0.02f, width, 3, patch, patch));
            this.bias = parameter("bias", Tensor.zeros(width));
            this.patch = patch;
            this.width = width;
        }

        /** images (B, 3, gh·p, gw·p) → (B, gh·gw, C), the patches row-major over the grid as conv's flatten(2). */
        Tensor forward(Tensor images) {
            int b = images.size(0), gh = images.size(2) / patch, gw = images.size(3) / patch;
            Tensor patches = images.reshape(b, 3, gh, patch, gw, patch)  // (B, 3, gh, p, gw, p)
                    .permute(0, 2, 4, 1, 3, 5)                           // (B, gh, gw, 3, p, p)
                    .reshape(b, gh * gw, 3 * patch * patch);             // (B, P, 3·p·p)
            Tensor w = weight.value().reshape(width, 3 * patch * patch); // (C, 3·p·p)
            return LinearOp.linear(patches, w, bias.value(), null);      // (B, P, C)
        }
    }

    public ViltEmbeddings(Rng rng, ViltConfig config) {
        int c = config.hidden(), g = config.grid();
        this.config = config;
        this.text = child("text_embeddings", new BertEmbeddings(rng, config.text()));
        this.clsToken = parameter("cls_token", Tensor.zeros(1, 1, c));
        this.patchEmbeddings = child("patch_embeddings", new Patches(rng, config.patchSize(), c));
        this.positions = parameter("position_embeddings", Tensor.randn(rng, 0f, 0.02f, 1, g * g + 1, c));
        this.modality = child("token_type_embeddings", new Embedding(rng, config.modalityTypes(), c, 0.02f));
    }

    /**
     * The question tokens and the image patches joined.
     *
     * @param ids      (B·T) token ids, row-major, [CLS] first
     * @param textMask (B·T) 1 for a token, 0 for padding
     * @param pixels   the images, padded, with each image's own size
     */
    public Output forward(int[] ids, int[] textMask, int batch, int length, ViltImageProcessor.Pixels pixels) {
        Tensor words = text.forward(ids, null, batch, length);              // (B, T, C)
        words = words.add(modality.forward(new int[] {0}, 1));             // (B, T, C) + (1, C)
        Image image = visual(pixels);
        Tensor patches = image.tokens().add(modality.forward(new int[] {1}, 1)); // (B, S, C) + (1, C)
        Tensor joined = ShapeOps.concat(1, words, patches);                // (B, T + S, C)

        int s = patches.size(1), n = length + s;
        float[] mask = new float[batch * n];                               // (B, T + S)
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) mask[b * n + t] = textMask[b * length + t];
            System.arraycopy(image.mask(), b * s, mask, b * n + length, s);
        }
        return new Output(joined, Tensor.of(mask, batch, n));
    }

    /** The image tokens (B, 1 + L, C) with positions, not yet typed, and their mask (B·(1 + L)). */
    private record Image(Tensor tokens, float[] mask) {}

    /** transformers' {@code visual_embed}, keeping every valid patch (see the class comment). */
    private Image visual(ViltImageProcessor.Pixels pixels) {
        Tensor px = pixels.values();
        int b = px.size(0), h = px.size(2), w = px.size(3), p = config.patchSize(), c = config.hidden(), g = config.grid();
        int gh = h / p, gw = w / p;
        if (gh == 0 || gw == 0) throw new IllegalArgumentException("ViLT: " + w + "x" + h + " pixels hold no " + p + "x" + p + " patch");
        Tensor cropped = h % p == 0 && w % p == 0 ? px : px.narrow(2, 0, gh * p).narrow(3, 0, gw * p); // (B, 3, gh·p, gw·p)
        Tensor all = patchEmbeddings.projection.forward(cropped);                                        // (B, P, C)
        int cells = gh * gw;

        int[] rows = new int[b], cols = new int[b];
        int longest = 0;
        for (int i = 0; i < b; i++) {
            rows[i] = validCells(pixels.heights()[i], h, gh);
            cols[i] = validCells(pixels.widths()[i], w, gw);
            if (rows[i] == 0 || cols[i] == 0) throw new IllegalArgumentException("ViLT: image " + i + " covers no whole patch");
            longest = Math.max(longest, rows[i] * cols[i]);
        }
        float[] table = positions.value().toArray(); // (1 + G², C)
        int[] pick = new int[b * longest];
        float[] pos = new float[b * longest * c];    // (B, L, C)
        float[] mask = new float[b * (1 + longest)]; // (B, 1 + L)
        for (int i = 0; i < b; i++) {
            float[] grid = PositionGrid.resize(table, c, g, rows[i], cols[i]); // (rows·cols, C)
            int valid = rows[i] * cols[i];
            mask[i * (1 + longest)] = 1; // the image's [CLS]
            for (int k = 0; k < longest; k++) {
                if (k < valid) {
                    pick[i * longest + k] = i * cells + (k / cols[i]) * gw + k % cols[i];
                    System.arraycopy(grid, k * c, pos, (i * longest + k) * c, c);
                    mask[i * (1 + longest) + 1 + k] = 1;
                } else {
                    pick[i * longest + k] = i * cells; // a masked filler: no other token attends to it
                }
            }
        }
        Tensor chosen = all.reshape(b * cells, c).indexSelect(0, pick).reshape(b, longest, c); // (B, L, C)
        chosen = chosen.add(Tensor.of(pos, b, longest, c));                                    // (B, L, C)
        Tensor cls = clsToken.value().add(positions.value().narrow(1, 0, 1)).expand(b, 1, c);  // (B, 1, C)
        return new Image(ShapeOps.concat(1, cls, chosen), mask);                               // (B, 1 + L, C)
    }

    /**
     * How many of {@code out} grid cells the nearest-neighbour resize of a mask of {@code in} pixels,
     * the first {@code valid} of them set, marks: torch's {@code interpolate(mode="nearest")} reads
     * source index min(floor(j · (in / out)), in - 1) for cell j, the ratio in float.
     */
    static int validCells(int valid, int in, int out) {
        int n = 0;
        for (int j = 0; j < out; j++) {
            int source;
            if (out == in) source = j;
            else if (out * 2 == in) source = j << 1;
            else source = Math.min((int) Math.floor(j * ((float) in / out)), in - 1);
            if (source < valid) n++;
        }
        return n;
    }

    public BertEmbeddings text() {
        return text;
    }
}
