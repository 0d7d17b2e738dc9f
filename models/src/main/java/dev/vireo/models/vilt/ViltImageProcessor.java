package dev.vireo.models.vilt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.engine.io.OneLine;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.PilResample;
import dev.vireo.models.image.RgbImage;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code ViltImageProcessor} (its PIL backend, which runs without torchvision):
 * resize so the short side is {@code size.shortest_edge} (384) with the long side capped at
 * int(1333 / 800 · shortest_edge) (639), each side rounded half up then down to a multiple of
 * {@code size_divisor} (32), with the configured PIL filter (bicubic) on the uint8 image, so the
 * resize is {@link PilResample}'s bit-exact port of Pillow; then rescale by 1/255 and normalise
 * with mean and std 0.5 ({@link ClipPreprocessor}'s float stage, HF's order of operations); then
 * pad a batch with zeros at the bottom and right to its largest height and width. The pixel mask
 * (1 on an image's own pixels) is a top-left rectangle, kept as each image's height and width.
 * transformers does not pad with {@code do_pad} false and then cannot batch images of different
 * sizes; here a batch is always padded, which leaves a batch of one unchanged.
 */
public final class ViltImageProcessor {
    /** transformers' MAX_LONGER_EDGE / MAX_SHORTER_EDGE: the long side's cap relative to the short side. */
    private static final double LONGER_OVER_SHORTER = 1333.0 / 800.0;
    /**
     * The largest {@code shortest_edge} a config may ask for: ViLT ships 384 and its paper's largest
     * is 800; attention costs the square of the patches, so a hostile 8192 would ask for minutes and
     * gigabytes per image instead of failing here.
     */
    public static final int MAX_SHORTEST_EDGE = 1024;

    private final ClipPreprocessConfig config;
    private final ClipPreprocessor floats;
    private final int sizeDivisor;

    /** Pixels (B, 3, H, W), zero-padded, with each image's own height and width (its pixel mask). */
    public record Pixels(Tensor values, int[] heights, int[] widths) {
        /** The pixel mask of image b, (H, W) row-major: 1 on its pixels, 0 on the padding. */
        public int[] mask(int b) {
            int h = values.size(2), w = values.size(3);
            int[] out = new int[h * w];
            for (int y = 0; y < heights[b]; y++) for (int x = 0; x < widths[b]; x++) out[y * w + x] = 1;
            return out;
        }
    }

    public ViltImageProcessor(ClipPreprocessConfig config, int sizeDivisor) {
        if (config.doCenterCrop()) throw new IllegalArgumentException("ViltImageProcessor: ViLT does not crop");
        if (config.doResize() && config.shortestEdge() <= 0) {
            throw new IllegalArgumentException("ViltImageProcessor: size must have shortest_edge (ViLT keeps the aspect ratio)");
        }
        if (config.doResize() && config.shortestEdge() > MAX_SHORTEST_EDGE) {
            throw new IllegalArgumentException("ViltImageProcessor: shortest_edge " + config.shortestEdge() + " is past the "
                    + MAX_SHORTEST_EDGE + " px a ViLT image may take (ViLT ships 384)");
        }
        if (sizeDivisor <= 0) throw new IllegalArgumentException("ViltImageProcessor: size_divisor must be positive, got " + sizeDivisor);
        if (config.doResize() && sizeDivisor > config.shortestEdge()) {
            throw new IllegalArgumentException("ViltImageProcessor: size_divisor " + sizeDivisor + " is larger than shortest_edge "
                    + config.shortestEdge() + ": every image would shrink to nothing");
        }
        this.config = config;
        this.floats = new ClipPreprocessor(config);
        this.sizeDivisor = sizeDivisor;
    }

    /**
     * The settings of a preprocessor_config.json object (or processor_config.json's
     * {@code image_processor}), with ViLT's defaults where it has none: shortest edge 384, size
     * divisor 32, bicubic, mean and std 0.5. {@code source} names it in errors.
     */
    public static ViltImageProcessor fromJson(JsonNode node, String source) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException(OneLine.of(source + ": the image processor's settings are not a JSON object"));
        ObjectNode vilt = ((ObjectNode) node).deepCopy();
        JsonNode size = vilt.get("size");
        if (size == null || size.isNull()) {
            vilt.putObject("size").put("shortest_edge", 384);
        } else if (size.isObject() && !size.has("shortest_edge")) {
            throw new IllegalArgumentException(OneLine.of(source + ": size must have shortest_edge (ViLT keeps the aspect ratio), got " + size));
        }
        if (!vilt.hasNonNull("image_mean")) vilt.putArray("image_mean").add(0.5).add(0.5).add(0.5);
        if (!vilt.hasNonNull("image_std")) vilt.putArray("image_std").add(0.5).add(0.5).add(0.5);
        vilt.put("do_center_crop", false);
        JsonNode divisor = vilt.get("size_divisor");
        if (divisor != null && !divisor.isNull() && !(divisor.isIntegralNumber() && divisor.canConvertToInt())) {
            throw new IllegalArgumentException(OneLine.of(source + ": size_divisor must be an integer, got " + divisor));
        }
        ClipPreprocessConfig config = ClipPreprocessConfig.fromJson(vilt, source);
        try {
            return new ViltImageProcessor(config, divisor == null || divisor.isNull() ? 32 : divisor.intValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(OneLine.of(source + ": " + e.getMessage()), e);
        }
    }

    public ClipPreprocessConfig config() {
        return config;
    }

    public int sizeDivisor() {
        return sizeDivisor;
    }

    /**
     * The (height, width) an image of {@code height} x {@code width} is resized to: transformers'
     * {@code get_resize_output_image_size} in float64, as Python computes it.
     */
    public int[] resizedSize(int height, int width) {
        if (!config.doResize()) return new int[] {height, width};
        int shorter = config.shortestEdge();
        int longer = (int) (LONGER_OVER_SHORTER * shorter);
        double scale = (double) shorter / Math.min(height, width);
        double h, w;
        if (height < width) {
            h = shorter;
            w = scale * width;
        } else {
            h = scale * height;
            w = shorter;
        }
        if (Math.max(h, w) > longer) {
            double cap = longer / Math.max(h, w);
            h = cap * h;
            w = cap * w;
        }
        int rh = (int) (h + 0.5) / sizeDivisor * sizeDivisor, rw = (int) (w + 0.5) / sizeDivisor * sizeDivisor;
        if (rh == 0 || rw == 0) {
            throw new IllegalArgumentException("ViLT: a " + width + "x" + height + " image is too elongated: its short side would resize to "
                    + "less than size_divisor " + sizeDivisor + " px");
        }
        return new int[] {rh, rw};
    }

    /** The resized uint8 image: the pixels HF hands to rescale. */
    public RgbImage resize(RgbImage image) {
        int[] hw = resizedSize(image.height(), image.width());
        return config.doResize() ? PilResample.resize(image, hw[1], hw[0], config.resample()) : image;
    }

    /** One image alone as float pixels (3, h, w), channels first, not padded. */
    public float[] pixelValues(RgbImage image) {
        RgbImage ready = resize(image);
        float[] out = new float[3 * ready.height() * ready.width()]; // (3, h, w)
        floats.toChannelsFirst(ready, out, 0);
        return out;
    }

    /** A batch: each image resized once (the same object given twice is resized once), normalised, padded → (B, 3, H, W) and its mask. */
    public Pixels batch(List<RgbImage> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("ViltImageProcessor: empty batch");
        Map<RgbImage, RgbImage> resized = new IdentityHashMap<>();
        List<RgbImage> ready = new ArrayList<>(images.size());
        int maxH = 0, maxW = 0;
        for (RgbImage image : images) {
            RgbImage r = resized.computeIfAbsent(image, this::resize);
            ready.add(r);
            maxH = Math.max(maxH, r.height());
            maxW = Math.max(maxW, r.width());
        }
        int b = ready.size(), plane = Math.multiplyExact(maxH, maxW);
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(b, 3), plane)]; // (B, 3, H, W), zero padding
        int[] heights = new int[b], widths = new int[b];
        for (int i = 0; i < b; i++) {
            RgbImage r = ready.get(i);
            int h = r.height(), w = r.width();
            heights[i] = h;
            widths[i] = w;
            float[] own = new float[3 * h * w]; // (3, h, w)
            floats.toChannelsFirst(r, own, 0);  // rescale and normalise only: the resize is ours
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) System.arraycopy(own, (c * h + y) * w, out, (i * 3 + c) * plane + y * maxW, w);
            }
        }
        return new Pixels(Tensor.of(out, b, 3, maxH, maxW), heights, widths); // (B, 3, H, W)
    }
}
