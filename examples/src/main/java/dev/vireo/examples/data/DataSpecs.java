package dev.vireo.examples.data;

import dev.vireo.models.data.CaptionTableReader;
import dev.vireo.models.data.CocoCaptionsReader;
import dev.vireo.models.data.ImageFolderReader;
import dev.vireo.models.data.ImageTextSample;
import dev.vireo.models.data.KarpathySplitReader;
import dev.vireo.models.data.WebDatasetReader;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.train.DecodedImageTextData;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.LabelledImageData;
import dev.vireo.models.train.ShapesData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Data specs of the command line: {@code shapes[:N]} (built in), {@code fashion-mnist[:N]},
 * {@code mnist[:N]} and {@code skimage-photos} (fetched with {@code bin/vireo data fetch NAME}; N
 * limits the number of images), and datasets in files: {@code csv:TABLE[:ROOT]} (columns image,
 * caption), {@code coco:CAPTIONS.json:IMAGES}, {@code karpathy:DATASET.json:ROOT},
 * {@code wds:SHARD.tar,...}, {@code folder:DIR} (one sub-folder per class).
 */
public final class DataSpecs {
    /** Captions for labelled sets: "a photo of a {class}", as CLIP's zero-shot prompts. */
    public static final List<String> CAPTION_TEMPLATES = List.of("a photo of a {}");

    private DataSpecs() {}

    public static List<String> names() {
        return List.of("shapes[:N]", "fashion-mnist[:N]", "mnist[:N]", "skimage-photos", "csv:TABLE.csv[:IMAGE_ROOT]",
                "coco:CAPTIONS.json:IMAGE_DIR", "karpathy:DATASET.json:IMAGE_ROOT", "wds:SHARD.tar[,SHARD.tar...]", "folder:DIR");
    }

    /** The training ({@code train = true}) or held-out split of a spec, at the model's image size. */
    public static ImageTextData load(String spec, boolean train, int imageSize, Path dataDir) throws IOException {
        if (spec.contains(":") && FILE_KINDS.contains(spec.substring(0, spec.indexOf(':')))) {
            return files(spec, train, imageSize, dataDir);
        }
        String[] parts = spec.split(":", 2);
        String name = parts[0];
        int limit = -1;
        if (parts.length == 2) {
            try {
                limit = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("data spec '" + spec + "': the count after ':' must be a whole number");
            }
            if (limit <= 0) throw new IllegalArgumentException("data spec '" + spec + "': the count must be positive");
        }
        return switch (name) {
            case "shapes" -> ShapesData.split(train, limit > 0 ? limit : (train ? 8000 : 500), ShapesWorld.Config.of(imageSize));
            case "fashion-mnist", "mnist" -> {
                var images = name.equals("mnist") ? FetchedDatasets.mnist(dataDir, train) : FetchedDatasets.fashionMnist(dataDir, train);
                if (limit > 0 && limit < images.size()) images = images.subList(0, limit);
                var classes = name.equals("mnist") ? FetchedDatasets.MNIST_CLASSES : FetchedDatasets.FASHION_MNIST_CLASSES;
                yield new LabelledImageData(images, classes, CAPTION_TEMPLATES, imageSize);
            }
            case "skimage-photos" -> new DecodedImageTextData(FetchedDatasets.skimagePhotos(dataDir), imageSize, 2, System.err);
            default -> throw new IllegalArgumentException("unknown data spec '" + spec + "'; known: " + names());
        };
    }

    private static final List<String> FILE_KINDS = List.of("csv", "tsv", "coco", "karpathy", "wds", "folder");

    /** Datasets in files: decoded once into memory at the model's image size; bad images skipped with a warning. */
    private static ImageTextData files(String spec, boolean train, int imageSize, Path dataDir) throws IOException {
        String[] p = spec.split(":");
        String kind = p[0];
        Path first = Path.of(p[1]);
        Path second = p.length > 2 ? Path.of(p[2]) : null;
        List<ImageTextSample> samples = switch (kind) {
            case "csv" -> CaptionTableReader.read(first, CaptionTableReader.Format.csv("image", "caption"), second != null ? second : first.toAbsolutePath().getParent());
            case "tsv" -> CaptionTableReader.read(first, CaptionTableReader.Format.tsv("image", "caption"), second != null ? second : first.toAbsolutePath().getParent());
            case "coco" -> CocoCaptionsReader.read(first, require(spec, second));
            case "karpathy" -> KarpathySplitReader.read(first, require(spec, second), train ? Set.of("train", "restval") : Set.of("test"));
            case "wds" -> WebDatasetReader.read(Arrays.stream(p[1].split(",")).map(Path::of).toList(),
                    warning -> System.err.println("warning: " + warning)); // a truncated shard keeps what precedes the cut
            case "folder" -> ImageFolderReader.read(first).stream().map(li -> new ImageTextSample(li.id(), li.image(),
                    CAPTION_TEMPLATES.stream().map(t -> t.replace("{}", LabelledImageData.readable(li.className()))).toList(), "")).toList();
            default -> throw new IllegalArgumentException("unknown data spec '" + spec + "'");
        };
        return new DecodedImageTextData(samples, imageSize, Runtime.getRuntime().availableProcessors(), System.err);
    }

    private static Path require(String spec, Path p) {
        if (p == null) throw new IllegalArgumentException("data spec '" + spec + "' needs the image folder after a second ':'");
        return p;
    }

    public static Path defaultDataDir() {
        return DataFetcher.defaultDataDir();
    }
}
