package dev.vireo.models.data;

/**
 * Adapts an {@link ImageTransform} to the sample types of the readers: image–text samples get one
 * caption per epoch picked by {@link SampleContext#pickCaption}, labelled images keep their label.
 */
public final class SampleTransforms {
    private SampleTransforms() {}

    /** Prepares the image and picks this epoch's caption; all captions travel along for evaluation. */
    public static <T> SampleTransform<ImageTextSample, CaptionedImage<T>> captioned(ImageTransform<T> image) {
        return (sample, context) -> new CaptionedImage<>(sample.id(), image.apply(sample.image(), context.rng()),
                context.pickCaption(sample.captions()), sample.captions());
    }

    /** Prepares the image and keeps its label. */
    public static <T> SampleTransform<LabelledImage, LabelledItem<T>> labelled(ImageTransform<T> image) {
        return (sample, context) -> new LabelledItem<>(sample.id(), image.apply(sample.image(), context.rng()), sample.label());
    }
}
