/**
 * Images: decoding ({@link ImageDecoder}, a baseline JPEG decoder of our own, EXIF orientation),
 * PIL-exact resampling ({@link PilResample}), CLIP preprocessing ({@link ClipPreprocessor}) and
 * the training augmentations ({@link TrainAugment}: random resized crop, colour jitter).
 */
package dev.vireo.models.image;
