package dev.vireo.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.output.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/**
 * Vireo's all-MiniLM-L6-v2 behind LangChain4j's interface against LangChain4j's own in-process model
 * (ONNX Runtime and DJL's tokenizers, native) on texts under its 128-word-piece window.
 */
class VireoMiniLmEmbeddingModelTest {
    static final List<String> TEXTS = List.of(
            "a photo of a cat",
            "The quick brown fox jumps over the lazy dog.",
            "LangChain4j embeds documents for retrieval-augmented generation.",
            "ein Foto einer Katze auf dem Sofa",
            "naïve café déjà vu — résumé",
            "unbelievably antidisestablishmentarianism",
            "Prices rose 3.5% in Q2 2024, vs. 2.1% a year earlier!",
            "東京は日本の首都です",
            "What is the capital of France?",
            "   leading and trailing spaces   ",
            "A long sentence that repeats itself to use more word pieces, a long sentence that repeats itself"
                    + " to use more word pieces, a long sentence that repeats itself to use more word pieces.");

    private static VireoMiniLmEmbeddingModel vireo;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadFromTheClassPath() {
        String old = System.getProperty("vireo.dataDir");
        try {
            System.setProperty("vireo.dataDir", "target/no-fetched-data"); // nothing fetched: the jar on the class path
            vireo = new VireoMiniLmEmbeddingModel();
        } finally {
            if (old == null) System.clearProperty("vireo.dataDir");
            else System.setProperty("vireo.dataDir", old);
        }
    }

    @AfterAll
    static void release() {
        vireo.close();
    }

    @Test
    void sameVectorsAsLangChain4jsOwnModel() {
        List<TextSegment> segments = TEXTS.stream().map(TextSegment::from).toList();
        EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        List<Embedding> expected = reference.embedAll(segments).content();
        Response<List<Embedding>> actual = vireo.embedAll(segments);
        assertThat(actual.content()).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] a = actual.content().get(i).vector(), e = expected.get(i).vector();
            assertThat(a).as(TEXTS.get(i)).hasSize(384);
            double dot = 0, na = 0, ne = 0, worst = 0;
            for (int j = 0; j < a.length; j++) {
                dot += (double) a[j] * e[j];
                na += (double) a[j] * a[j];
                ne += (double) e[j] * e[j];
                worst = Math.max(worst, Math.abs(a[j] - e[j]));
            }
            assertThat(dot / Math.sqrt(na * ne)).as("cosine of '%s'", TEXTS.get(i)).isGreaterThanOrEqualTo(0.9999);
            assertThat(worst).as("largest difference of one component of '%s'", TEXTS.get(i)).isLessThanOrEqualTo(1e-4);
        }
        assertThat(actual.tokenUsage().inputTokenCount()).isPositive();
    }

    @Test
    void pastItsWindowLangChain4jsModelIsVireosTruncatedAt128() {
        String longText = "The committee reviewed the proposal in detail and asked for revisions. ".repeat(15); // 182 word pieces
        assertThat(vireo.encoder().tokenize(List.of(longText))[0]).hasSizeGreaterThan(128).hasSizeLessThan(256);
        float[] expected = new AllMiniLmL6V2EmbeddingModel().embed(longText).content().vector();
        float[] at128 = vireo.encoder().withMaxLength(128).encode(List.of(longText))[0]; // shares the weights; nothing to close
        float[] at256 = vireo.embed(longText).content().vector();
        double worst128 = 0, worst256 = 0;
        for (int j = 0; j < expected.length; j++) {
            worst128 = Math.max(worst128, Math.abs(at128[j] - expected[j]));
            worst256 = Math.max(worst256, Math.abs(at256[j] - expected[j]));
        }
        assertThat(worst128).isLessThanOrEqualTo(1e-4);
        assertThat(worst256).as("256 word pieces see more of the text than 128").isGreaterThan(1e-3);
    }

    @Test
    void oneTextAndTheDimension() {
        assertThat(vireo.dimension()).isEqualTo(384);
        float[] v = vireo.embed("a photo of a cat").content().vector();
        double norm = 0;
        for (float x : v) norm += x * x;
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, offset(1e-5));
        assertThat(vireo.embedAll(List.of()).content()).isEmpty();
    }

    @Test
    void aFolderTheModelIsNotInIsNamed() {
        assertThatThrownBy(() -> new VireoMiniLmEmbeddingModel(tmp.resolve("absent")))
                .hasMessageContaining("absent").hasMessageContaining("does not exist");
    }

    @Test
    void aFetchedFolderWithoutItsDescriptionSaysToFetchAgain() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("minilm"));
        for (String file : VireoMiniLmEmbeddingModel.MINILM_FILES) Files.writeString(folder.resolve(file), "fetched earlier");
        String old = System.getProperty("vireo.dataDir");
        try {
            System.setProperty("vireo.dataDir", tmp.toString());
            assertThatThrownBy(VireoMiniLmEmbeddingModel::new).hasMessageContaining("bin/vireo data fetch minilm");
        } finally {
            if (old == null) System.clearProperty("vireo.dataDir");
            else System.setProperty("vireo.dataDir", old);
        }
    }
}
