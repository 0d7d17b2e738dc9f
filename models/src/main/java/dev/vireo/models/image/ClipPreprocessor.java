package dev.vireo.models.image;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Tensor;

import java.util.List;

/**
 * CLIP image preprocessing exactly as Hugging Face's {@code CLIPImageProcessor} on PIL images: resize (shortest edge,
 * PIL resampling, {@code get_resize_output_image_size} rounding), centre crop (HF's floor rounding, zero padding when
 * the image is smaller), rescale, normalise, channels first. The uint8 stage ({@link #resizeAndCrop}) is bit-exact with
 * PIL; the float stage repeats HF's float64 rescale then float32 normalise.
 */
public final class ClipPreprocessor {
    private final ClipPreprocessConfig config;

    public ClipPreprocessor(ClipPreprocessConfig config) {
        this.config = config;
    }

    public ClipPreprocessConfig config() {
        return config;
    }

    /**
     * The (height, width) after resizing: with a shortest edge s, HF's {@code get_resize_output_image_size}
     * (short side s, long side int(s * long / short), truncated); otherwise the configured height and width.
     */
    public static int[] resizedSize(ClipPreprocessConfig config, int height, int width) {
        if (config.shortestEdge() <= 0) return new int[]{config.resizeHeight(), config.resizeWidth()};
        int s = config.shortestEdge();
        int shortSide = Math.min(width, height), longSide = Math.max(width, height);
        int newLong = (int) ((double) ((long) s * longSide) / shortSide);
        return width <= height ? new int[]{newLong, s} : new int[]{s, newLong};
    }

    /** Resize then centre crop, in uint8: the pixels HF hands to rescale. */
    public RgbImage resizeAndCrop(RgbImage image) {
        if (config.doResize() && config.doCenterCrop()) {
            int[] hw = resizedSize(config, image.height(), image.width());
            int top = Math.floorDiv(hw[0] - config.cropHeight(), 2), left = Math.floorDiv(hw[1] - config.cropWidth(), 2);
            if (top >= 0 && left >= 0) { // the crop lies inside: resample only the pixels it keeps
                return PilResample.resizeWindow(image, hw[1], hw[0], config.resample(), left, top,
                        config.cropWidth(), config.cropHeight());
            }
        }
        RgbImage out = image;
        if (config.doResize()) {
            int[] hw = resizedSize(config, image.height(), image.width());
            out = PilResample.resize(out, hw[1], hw[0], config.resample());
        }
        if (config.doCenterCrop()) out = centerCrop(out, config.cropHeight(), config.cropWidth());
        return out;
    }

    /**
     * HF's {@code center_crop}: top = (H - h) // 2, left = (W - w) // 2 (floor, so an odd margin leaves the extra row at
     * the bottom; torchvision's CenterCrop rounds half to even instead). A side smaller than the crop is zero-padded,
     * centred with ceil((h - H) / 2) rows above.
     */
    public static RgbImage centerCrop(RgbImage image, int cropHeight, int cropWidth) {
        int h = image.height(), w = image.width();
        int top = Math.floorDiv(h - cropHeight, 2), left = Math.floorDiv(w - cropWidth, 2);
        if (top >= 0 && left >= 0) return image.crop(left, top, cropWidth, cropHeight);
        int newH = Math.max(cropHeight, h), newW = Math.max(cropWidth, w);
        int topPad = (newH - h + 1) / 2, leftPad = (newW - w + 1) / 2;
        RgbImage padded = RgbImage.blank(newW, newH);
        for (int y = 0; y < h; y++) {
            System.arraycopy(image.pixels(), y * w * 3, padded.pixels(), ((y + topPad) * newW + leftPad) * 3, w * 3);
        }
        int t = top + topPad, l = left + leftPad;
        int t0 = Math.max(0, t), l0 = Math.max(0, l);
        int t1 = Math.min(newH, t + cropHeight), l1 = Math.min(newW, l + cropWidth);
        return padded.crop(l0, t0, l1 - l0, t1 - t0);
    }

    /**
     * Writes {@code image} channels-first into {@code out[offset ..]}: x = v * rescale (in double, then float) and
     * (x - mean[c]) / std[c] in float, as HF's rescale and normalize do.
     */
    public void toChannelsFirst(RgbImage image, float[] out, int offset) {
        int plane = image.width() * image.height();
        byte[] px = image.pixels();
        float[] mean = config.imageMean(), std = config.imageStd();
        for (int c = 0; c < 3; c++) {
            float m = mean[c], s = std[c];
            int o = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                int v = px[i * 3 + c] & 0xFF;
                float x = config.doRescale() ? (float) (v * config.rescaleFactor()) : v;
                out[o + i] = config.doNormalize() ? (x - m) / s : x;
            }
        }
    }

    /** One image as float CHW (3, H, W) in a fresh array. */
    public float[] preprocess(RgbImage image) {
        RgbImage ready = resizeAndCrop(image);
        float[] out = new float[3 * ready.height() * ready.width()]; // (3, H, W)
        toChannelsFirst(ready, out, 0);
        return out;
    }

    /**
     * A batch as one float array laid out (B, 3, H, W); images are processed in parallel on the compute pool, one
     * image per chunk, so the result does not depend on the thread count. All images must end at the same size.
     */
    public float[] preprocessBatch(List<RgbImage> images) {
        return pack(resizeAll(images));
    }

    /** A batch as a tensor of shape (B, 3, H, W). */
    public Tensor toTensor(List<RgbImage> images) {
        RgbImage[] ready = resizeAll(images);
        return Tensor.of(pack(ready), ready.length, 3, ready[0].height(), ready[0].width()); // (B, 3, H, W)
    }

    private RgbImage[] resizeAll(List<RgbImage> images) {
        int b = images.size();
        if (b == 0) throw new IllegalArgumentException("ClipPreprocessor: empty batch");
        RgbImage[] ready = new RgbImage[b];
        ComputePool.global().forEachChunk(b, i -> ready[i] = resizeAndCrop(images.get(i)));
        int h = ready[0].height(), w = ready[0].width();
        for (int i = 1; i < b; i++) {
            if (ready[i].height() != h || ready[i].width() != w) {
                throw new IllegalArgumentException("ClipPreprocessor: batch image " + i + " became "
                        + ready[i].width() + "x" + ready[i].height() + " but image 0 became " + w + "x" + h
                        + " (enable the centre crop to batch images of different shapes)");
            }
        }
        return ready;
    }

    private float[] pack(RgbImage[] ready) {
        int per = 3 * ready[0].height() * ready[0].width();
        float[] out = new float[Math.multiplyExact(ready.length, per)]; // (B, 3, H, W)
        ComputePool.global().forEachChunk(ready.length, i -> toChannelsFirst(ready[i], out, i * per));
        return out;
    }
}
