package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.examples.data.DataFetcher;
import dev.vireo.models.SentenceEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The text-only models {@code embed} and {@code tokenize} take beside CLIP: a fetched model by name
 * ({@code minilm}, fetched into the data folder on first use), a sentence-transformers or BERT folder,
 * or an {@code .onnx} file with its tokenizer beside it.
 */
final class TextModels {
    /** The names that stand for a fetched model. */
    static final List<String> NAMES = List.of("minilm");

    private TextModels() {}

    /**
     * What {@code --model} names: an existing file or folder as given, else a fetched model's folder,
     * fetched now (progress on stderr) unless complete; anything else is refused.
     */
    static Path resolve(Path model) throws IOException {
        if (Files.exists(model)) return model;
        String name = DataFetcher.find(model.toString()).map(a -> a.name()).filter(NAMES::contains).orElse(null);
        if (name == null) {
            throw new IllegalArgumentException("model " + model + " is neither a file nor a folder, nor a model name (" + String.join(", ", NAMES) + ")");
        }
        DataFetcher fetcher = new DataFetcher(DataFetcher.defaultDataDir(), System.err);
        if (!fetcher.isPresent(name)) fetcher.fetch(name);
        return fetcher.folder(name);
    }

    /**
     * Whether {@code path} holds a BERT-family text model rather than CLIP: an {@code .onnx} file, a
     * folder with sentence-transformers' {@code modules.json}, a {@code config.json} of model_type
     * {@code bert}, or an {@code .onnx} export beside a WordPiece tokenizer.
     */
    static boolean isTextModel(Path path) throws IOException {
        if (Files.isRegularFile(path)) return path.getFileName().toString().endsWith(".onnx");
        if (!Files.isDirectory(path)) return false;
        if (Files.isRegularFile(path.resolve("modules.json"))) return true;
        Path config = path.resolve("config.json");
        if (Files.isRegularFile(config)) {
            String type = new ObjectMapper().readTree(config.toFile()).path("model_type").asText("");
            return type.toLowerCase(Locale.ROOT).equals("bert");
        }
        return hasFileEndingIn(path, ".onnx") && (hasFileEndingIn(path, "tokenizer.json") || Files.isRegularFile(path.resolve("vocab.txt")));
    }

    /** The encoder of {@code path}, truncating at {@code maxLength} word pieces when given, else at the model's length. */
    static SentenceEncoder load(Path path, Integer maxLength) throws IOException {
        SentenceEncoder encoder = SentenceEncoder.load(path);
        if (maxLength == null) return encoder;
        encoder.close(); // releases the weights; the re-truncated encoder shares and registers them again
        return encoder.withMaxLength(maxLength);
    }

    private static boolean hasFileEndingIn(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(suffix));
        }
    }
}
