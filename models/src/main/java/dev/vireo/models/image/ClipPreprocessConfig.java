package dev.vireo.models.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.io.OneLine;
import dev.vireo.models.config.JsonErrors;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The settings of Hugging Face's {@code CLIPImageProcessor}, read from a {@code preprocessor_config.json} or taken from
 * {@link #openai()}. Resize target: {@code shortestEdge > 0} scales the short side (aspect kept), otherwise the image is
 * resized to exactly {@code resizeHeight x resizeWidth}. Fields keep Hugging Face's meaning; absent keys take its defaults.
 */
public record ClipPreprocessConfig(boolean doResize, int shortestEdge, int resizeHeight, int resizeWidth,
                                   ResampleFilter resample, boolean doCenterCrop, int cropHeight, int cropWidth,
                                   boolean doRescale, double rescaleFactor, boolean doNormalize,
                                   float[] imageMean, float[] imageStd) {

    /** OpenAI CLIP's normalisation statistics. */
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /**
     * The largest side a config may resize or crop to: a model input past it is no CLIP anyone ships
     * (ViT-L/14@336 takes 336), and a hostile config asking for 2^31 pixels would run out of memory
     * on the first image instead of failing here.
     */
    public static final int MAX_SIDE = 8192;

    public ClipPreprocessConfig {
        for (int side : new int[] {shortestEdge, resizeHeight, resizeWidth, cropHeight, cropWidth}) {
            if (side > MAX_SIDE) {
                throw new IllegalArgumentException("ClipPreprocessConfig: sizes up to " + MAX_SIDE + " px, got shortest edge " + shortestEdge
                        + ", resize " + resizeHeight + "x" + resizeWidth + ", crop " + cropHeight + "x" + cropWidth);
            }
        }
        if (doResize && shortestEdge <= 0 && (resizeHeight <= 0 || resizeWidth <= 0)) {
            throw new IllegalArgumentException("ClipPreprocessConfig: resize needs shortest_edge or height and width, got "
                    + shortestEdge + ", " + resizeHeight + "x" + resizeWidth);
        }
        if (doCenterCrop && (cropHeight <= 0 || cropWidth <= 0)) {
            throw new IllegalArgumentException("ClipPreprocessConfig: crop size must be positive, got " + cropHeight + "x" + cropWidth);
        }
        if (imageMean.length != 3 || imageStd.length != 3) {
            throw new IllegalArgumentException("ClipPreprocessConfig: image_mean and image_std need 3 values, got "
                    + Arrays.toString(imageMean) + " and " + Arrays.toString(imageStd));
        }
        for (int c = 0; c < 3; c++) {
            if (!Float.isFinite(imageMean[c])) throw new IllegalArgumentException("ClipPreprocessConfig: image_mean " + Arrays.toString(imageMean) + " is not finite");
            if (!(imageStd[c] > 0) || !Float.isFinite(imageStd[c])) {
                throw new IllegalArgumentException("ClipPreprocessConfig: image_std " + Arrays.toString(imageStd)
                        + " must be positive and finite (it divides every pixel)");
            }
        }
        if (doRescale && !(rescaleFactor > 0 && Double.isFinite(rescaleFactor))) {
            throw new IllegalArgumentException("ClipPreprocessConfig: rescale_factor " + rescaleFactor + " must be positive and finite");
        }
        imageMean = imageMean.clone();
        imageStd = imageStd.clone();
    }

    /** OpenAI CLIP at {@code size} pixels: bicubic shortest side to size, centre crop size x size, CLIP mean/std. */
    public static ClipPreprocessConfig openai(int size) {
        return new ClipPreprocessConfig(true, size, 0, 0, ResampleFilter.BICUBIC, true, size, size,
                true, 1 / 255.0, true, CLIP_MEAN, CLIP_STD);
    }

    /** OpenAI CLIP at 224 pixels (ViT-B/32, ViT-B/16, ViT-L/14). */
    public static ClipPreprocessConfig openai() {
        return openai(224);
    }

    /** Reads a Hugging Face {@code preprocessor_config.json}; keys it lacks take CLIPImageProcessor's defaults. */
    public static ClipPreprocessConfig fromJson(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException | CharConversionException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + JsonErrors.oneLine(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("ClipPreprocessConfig: cannot read " + file, e);
        }
        return fromJson(root, file.toString());
    }

    /** Parses the JSON object of a preprocessor config; {@code source} names it in errors. */
    public static ClipPreprocessConfig fromJson(JsonNode root, String source) {
        if (root == null || !root.isObject()) throw error(source + ": expected a JSON object");
        int shortest = 224, rh = 0, rw = 0;
        JsonNode size = root.get("size");
        if (size != null && size.isInt()) {
            shortest = size.asInt(); // an int means shortest_edge (get_size_dict with default_to_square=False)
        } else if (size != null && size.isObject()) {
            if (size.has("shortest_edge")) {
                shortest = integer(size, "shortest_edge", source, "size.");
            } else if (size.has("height") && size.has("width")) {
                shortest = 0;
                rh = integer(size, "height", source, "size.");
                rw = integer(size, "width", source, "size.");
            } else {
                throw error(source + ": size must have shortest_edge or height and width, got " + abbreviate(size));
            }
        }
        int ch = 224, cw = 224;
        JsonNode crop = root.get("crop_size");
        if (crop != null && crop.isInt()) {
            ch = cw = crop.asInt(); // an int means a square crop
        } else if (crop != null && crop.isObject()) {
            if (!crop.has("height") || !crop.has("width")) {
                throw error(source + ": crop_size needs height and width, got " + abbreviate(crop));
            }
            ch = integer(crop, "height", source, "crop_size.");
            cw = integer(crop, "width", source, "crop_size.");
        }
        JsonNode resample = root.get("resample");
        if (resample != null && !resample.isNull() && !resample.isInt()) {
            throw error(source + ": resample must be a PIL filter code (0..5), got " + abbreviate(resample));
        }
        try {
            return new ClipPreprocessConfig(
                    root.path("do_resize").asBoolean(true), shortest, rh, rw,
                    ResampleFilter.fromPil(resample == null || resample.isNull() ? ResampleFilter.BICUBIC.pilCode() : resample.intValue()),
                    root.path("do_center_crop").asBoolean(true), ch, cw,
                    root.path("do_rescale").asBoolean(true), root.path("rescale_factor").asDouble(1 / 255.0),
                    root.path("do_normalize").asBoolean(true),
                    floats(root.get("image_mean"), CLIP_MEAN, "image_mean"),
                    floats(root.get("image_std"), CLIP_STD, "image_std"));
        } catch (IllegalArgumentException e) {
            throw error(source + ": " + e.getMessage(), e);
        }
    }

    /** {@code node.field}, an integer that fits an int ("224", not "224.5", "1e400" or "x"). */
    private static int integer(JsonNode node, String field, String source, String path) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) throw error(source + ": " + path + field + " must be an integer, got " + abbreviate(v));
        return v.intValue();
    }

    private static String abbreviate(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static IllegalArgumentException error(String message) {
        return error(message, null);
    }

    private static IllegalArgumentException error(String message, Throwable cause) {
        return new IllegalArgumentException(OneLine.of(message), cause);
    }

    private static float[] floats(JsonNode node, float[] fallback, String key) {
        if (node == null || node.isNull()) return fallback;
        if (node.isNumber()) return new float[]{node.floatValue(), node.floatValue(), node.floatValue()};
        if (!node.isArray() || node.size() != 3 || !node.get(0).isNumber() || !node.get(1).isNumber() || !node.get(2).isNumber()) {
            throw new IllegalArgumentException(key + " must be a number or 3 numbers, got " + abbreviate(node));
        }
        return new float[]{node.get(0).floatValue(), node.get(1).floatValue(), node.get(2).floatValue()};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipPreprocessConfig c && doResize == c.doResize && shortestEdge == c.shortestEdge
                && resizeHeight == c.resizeHeight && resizeWidth == c.resizeWidth && resample == c.resample
                && doCenterCrop == c.doCenterCrop && cropHeight == c.cropHeight && cropWidth == c.cropWidth
                && doRescale == c.doRescale && rescaleFactor == c.rescaleFactor && doNormalize == c.doNormalize
                && Arrays.equals(imageMean, c.imageMean) && Arrays.equals(imageStd, c.imageStd);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(imageMean) * 31 + Arrays.hashCode(imageStd) + shortestEdge + 7 * cropHeight;
    }

    @Override
    public float[] imageMean() {
        return imageMean.clone();
    }

    @Override
    public float[] imageStd() {
        return imageStd.clone();
    }
}
