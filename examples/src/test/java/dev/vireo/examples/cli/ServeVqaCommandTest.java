package dev.vireo.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vireo serve-vqa} refuses a missing or foreign model and a missing examples folder in one line, before it listens. */
class ServeVqaCommandTest {
    private static final Path VILT = Path.of("../models/src/test/resources/vilt/tiny_vilt").toAbsolutePath().normalize();

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    @Test
    void aMissingOrBadModelOrExamplesFolderIsAOneLineError() {
        String[][] cases = {
                {"serve-vqa", "--model", tmp.resolve("nowhere").toString(), "--port", "0"},
                {"serve-vqa", "--model", tmp.toString(), "--port", "0"},
                {"serve-vqa", "--model", VILT.toString(), "--examples", tmp.resolve("nowhere").toString(), "--port", "0"}};
        String[] says = {"is not a folder", "is not a visual question answering folder", "examples folder"};
        for (int i = 0; i < cases.length; i++) {
            console.resetErr();
            assertThat(Vireo.run(cases[i])).as(String.join(" ", cases[i])).isEqualTo(1);
            assertThat(console.err().strip()).as(String.join(" ", cases[i])).startsWith("vireo serve-vqa: ").contains(says[i])
                    .hasLineCount(1).doesNotContain("Exception");
        }
        console.resetErr();
        assertThat(Vireo.run("serve-vqa", "--examples", tmp.toString())).isEqualTo(2);
        assertThat(console.err()).contains("--model");
    }
}
