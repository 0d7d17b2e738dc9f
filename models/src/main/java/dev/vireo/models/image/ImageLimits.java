package dev.vireo.models.image;

import dev.vireo.engine.VireoProperties;

/**
 * The size an image file may declare before Vireo decodes it. A few kilobytes of PNG or GIF can claim
 * billions of pixels (a decompression bomb): the declared width × height is checked against
 * {@code -Dvireo.maxImagePixels} (default {@value #DEFAULT_MAX_PIXELS}, PIL's decompression-bomb threshold)
 * from the header alone, before any pixel memory is allocated.
 */
public final class ImageLimits {
    /** PIL's {@code DecompressionBombError} threshold: twice {@code Image.MAX_IMAGE_PIXELS} (89,478,485). */
    public static final long DEFAULT_MAX_PIXELS = 2L * 89_478_485;

    private ImageLimits() {}

    /** The most pixels a file may declare. */
    public static long maxPixels() {
        long max = VireoProperties.getLong(VireoProperties.MAX_IMAGE_PIXELS, DEFAULT_MAX_PIXELS);
        if (max < 1) throw new IllegalArgumentException("-D" + VireoProperties.MAX_IMAGE_PIXELS + "=" + max + ": must be positive");
        return max;
    }

    /** Refuses, naming the file, an image that declares a non-positive size or more pixels than {@link #maxPixels()}. */
    public static void check(String source, String format, long width, long height) {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(source, format + " declares an empty size " + width + "x" + height);
        }
        long max = maxPixels();
        if (width * height > max) {
            throw new ImageDecodeException(source, format + " declares " + width + "x" + height + " = " + width * height
                    + " pixels, more than the limit of " + max + " (a decompression bomb?); raise -D"
                    + VireoProperties.MAX_IMAGE_PIXELS + " to read it");
        }
        if (width * height * 4 > Integer.MAX_VALUE - 8) { // an ARGB raster or the RGB bytes of it must fit one Java array
            throw new ImageDecodeException(source, format + " declares " + width + "x" + height + " pixels, more than one"
                    + " image Vireo can hold (" + (Integer.MAX_VALUE - 8) / 4 + " pixels) whatever -D" + VireoProperties.MAX_IMAGE_PIXELS + " says");
        }
    }
}
