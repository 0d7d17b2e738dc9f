package dev.vireo.models.image;

/**
 * An 8-bit RGB image: {@code pixels} holds {@code height} rows of {@code width} interleaved R, G, B bytes (unsigned).
 * It is the common currency of decoding, resampling and augmentation; it is not a tensor (see {@link ClipPreprocessor}).
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("RgbImage: width and height must be positive, got " + width + "x" + height);
        }
        if (pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException("RgbImage: " + width + "x" + height + " needs " + (long) width * height * 3
                    + " bytes, got " + pixels.length);
        }
    }

    /** A black image of the given size. */
    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)]);
    }

    /** Channel {@code c} (0 R, 1 G, 2 B) of pixel (x, y), in 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }

    /** The rectangle [left, left+w) x [top, top+h), which must lie inside the image. */
    public RgbImage crop(int left, int top, int w, int h) {
        if (left < 0 || top < 0 || w <= 0 || h <= 0 || left + w > width || top + h > height) {
            throw new IllegalArgumentException("RgbImage.crop: box (" + left + ", " + top + ", " + w + "x" + h
                    + ") is not inside the " + width + "x" + height + " image");
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(pixels, ((top + y) * width + left) * 3, out, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }

    /** The image mirrored left to right. */
    public RgbImage flipHorizontal() {
        byte[] out = new byte[pixels.length];
        for (int y = 0; y < height; y++) {
            int row = y * width * 3;
            for (int x = 0; x < width; x++) {
                int src = row + x * 3;
                int dst = row + (width - 1 - x) * 3;
                out[dst] = pixels[src];
                out[dst + 1] = pixels[src + 1];
                out[dst + 2] = pixels[src + 2];
            }
        }
        return new RgbImage(width, height, out);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
