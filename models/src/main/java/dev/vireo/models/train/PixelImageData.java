package dev.vireo.models.train;

/**
 * Image–text data whose images are held decoded in one array of normalised planar floats,
 * (N, 3, S, S): the storage shared by the in-memory data sets; subclasses supply the captions.
 */
abstract class PixelImageData implements ImageTextData {
    private final int imageSize;
    private final float[] pixels;

    PixelImageData(int imageSize, float[] pixels) {
        int per = 3 * imageSize * imageSize;
        if (pixels.length % per != 0) {
            throw new IllegalArgumentException("image data: " + pixels.length + " floats are not whole " + imageSize + "-px images");
        }
        this.imageSize = imageSize;
        this.pixels = pixels;
    }

    /** The images, (N, 3, S, S), for a view of the same data with other captions. */
    final float[] pixels() {
        return pixels;
    }

    @Override
    public int size() {
        return pixels.length / (3 * imageSize * imageSize);
    }

    @Override
    public int imageSize() {
        return imageSize;
    }

    @Override
    public void image(int index, float[] dst, int off) {
        int per = 3 * imageSize * imageSize;
        System.arraycopy(pixels, index * per, dst, off, per);
    }
}
