package dev.vireo.models.train;

import dev.vireo.models.data.fetch.DataFetcher;
import dev.vireo.models.data.fetch.FetchedDatasets;
import dev.vireo.models.data.shapes.ShapesWorld;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Data specs of the command line: {@code shapes[:N]} (built in), {@code fashion-mnist[:N]} and
 * {@code mnist[:N]} (fetched with {@code bin/vireo data fetch NAME}). N limits the number of images.
 */
public final class DataSpecs {
    /** Captions for labelled sets: "a photo of a {class}", as CLIP's zero-shot prompts. */
    public static final List<String> CAPTION_TEMPLATES = List.of("a photo of a {}");

    private DataSpecs() {}

    public static List<String> names() {
        return List.of("shapes[:N]", "fashion-mnist[:N]", "mnist[:N]");
    }

    /** The training ({@code train = true}) or held-out split of a spec, at the model's image size. */
    public static ImageTextData load(String spec, boolean train, int imageSize, Path dataDir) throws IOException {
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
            default -> throw new IllegalArgumentException("unknown data spec '" + spec + "'; known: " + names());
        };
    }

    public static Path defaultDataDir() {
        return DataFetcher.defaultDataDir();
    }
}
