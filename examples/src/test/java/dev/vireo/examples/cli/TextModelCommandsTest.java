package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * embed, tokenize and info on the real all-MiniLM-L6-v2: its ONNX export and tokenizer copied from the
 * langchain4j jar (a test dependency) into a data folder as a fetch before issue #17 left it, without
 * sentence-transformers' description, which {@code --model minilm} completes. The vectors are the
 * golden ones ONNX Runtime gave (models/src/test/resources/bert, make_minilm_golden.py).
 */
class TextModelCommandsTest {
    static final Path GOLDEN = Path.of("../models/src/test/resources/bert/minilm_embeddings_golden.json");

    @TempDir
    static Path dataDir;

    private static String oldDataDir;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @BeforeAll
    static void fetchedBeforeTheDescription() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("minilm"));
        for (String file : List.of("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json")) {
            try (InputStream in = TextModelCommandsTest.class.getResourceAsStream("/" + file)) {
                if (in == null) throw new IllegalStateException(file + " is not on the test class path (the langchain4j all-MiniLM jar, examples/pom.xml)");
                Files.copy(in, folder.resolve(file));
            }
        }
        oldDataDir = System.getProperty("vireo.dataDir");
        System.setProperty("vireo.dataDir", dataDir.toString());
    }

    @AfterAll
    static void restoreDataDir() {
        if (oldDataDir == null) System.clearProperty("vireo.dataDir");
        else System.setProperty("vireo.dataDir", oldDataDir);
    }

    @Test
    void embedGivesTheGoldenSentenceEmbeddingsInInputOrder() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(GOLDEN.toFile()).get("sentences");
        int[] picked = {0, 3, 20, 2}; // short, accented, one past 256 word pieces (truncated), short: not in length order
        List<String> args = new ArrayList<>(List.of("embed", "--model", "minilm", "--json"));
        for (int i : picked) args.addAll(List.of("--text", golden.get(i).get("text").asText()));
        assertThat(Vireo.run(args.toArray(String[]::new))).as(console.err()).isZero();
        assertThat(dataDir.resolve("minilm/modules.json")).as("the fetched folder completed").isRegularFile();
        JsonNode embeds = console.json().get("text_embeds");
        assertThat(embeds).hasSize(picked.length);
        for (int k = 0; k < picked.length; k++) {
            JsonNode expected = golden.get(picked[k]).get("embedding");
            assertThat(embeds.get(k)).hasSize(384);
            for (int j = 0; j < 384; j++) {
                assertThat(embeds.get(k).get(j).asDouble()).as("sentence %d, component %d", picked[k], j)
                        .isCloseTo(expected.get(j).asDouble(), offset(1e-4));
            }
        }
        assertThat(Vireo.run("info", "--json")).isZero();
        assertThat(console.out()).contains(dataDir.resolve("minilm").toAbsolutePath().toString());
    }

    @Test
    void tokenizeGivesWordPiecesWithClsAndSepTruncatedAsTheModelTruncates() throws Exception {
        String longText = "word ".repeat(300);
        assertThat(Vireo.run("tokenize", "--model", "minilm", "--json", "--text", "a photo of a cat", longText)).isZero();
        JsonNode ids = console.json().get("ids");
        assertThat(ids.get(0).toString()).isEqualTo("[101,1037,6302,1997,1037,4937,102]");
        assertThat(ids.get(1)).hasSize(256);
        assertThat(ids.get(1).get(255).asInt()).isEqualTo(102);
        console.resetOut();
        Path folder = dataDir.resolve("minilm");
        assertThat(Vireo.run("tokenize", "--model", folder.toString(), "--max-length", "4", "--json", "--text", "a photo of a cat")).isZero();
        assertThat(console.json().get("ids").get(0).toString()).isEqualTo("[101,1037,6302,102]");
    }

    @Test
    void badInputIsOneLineAndNonZero() {
        assertThat(Vireo.run("embed", "--model", "minilm", "--image", "cat.png", "--text", "a cat")).isEqualTo(1);
        assertThat(Vireo.run("embed", "--model", "minlm", "--text", "a cat")).isEqualTo(1);
        assertThat(Vireo.run("embed", "--model", "minilm", "--max-length", "1000", "--text", "a cat")).isEqualTo(1);
        String e = console.err();
        assertThat(e).contains("minilm is a text-only model", "not --image");
        assertThat(e).contains("minlm is neither a file nor a folder, nor a model name (minilm)");
        assertThat(e).contains("max length 1000 outside 2..512");
        assertThat(e.lines().filter(l -> l.startsWith("vireo embed:"))).hasSize(3);
    }
}
