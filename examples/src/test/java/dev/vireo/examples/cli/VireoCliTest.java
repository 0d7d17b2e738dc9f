package dev.vireo.examples.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class VireoCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;

    @TempDir
    Path tmp;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(Vireo.run("--help")).isZero();
        assertThat(stdout()).contains("info", "lesson", "bench");
    }

    @Test
    void infoReportsKernelsSpeciesAndThreads() {
        assertThat(Vireo.run("info", "--json")).isZero();
        assertThat(stdout()).contains("\"jdk\"", "\"kernels\"", "\"vector_bits\"", "\"float_lanes\"", "\"threads\"");
    }

    @Test
    void errorsAreOneLineAndNonZero() {
        assertThat(Vireo.run("frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'");
        assertThat(Vireo.run("info", "--colour")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --colour").doesNotContain("Exception");
        assertThat(Vireo.run("lesson", "L99Nope")).isEqualTo(2);
    }

    @Test
    void trainDocumentsAugmentAndRejectsUnknownNamesInOneLine() {
        assertThat(Vireo.run("train", "--help")).isZero();
        assertThat(stdout()).contains("[--augment=NAME]", "none, openclip, simclr (default: none)");
        assertThat(Vireo.run("train", "--out", tmp.toString(), "--augment", "crop-flip")).isEqualTo(2);
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(message.strip().lines()).containsExactly("vireo train: invalid value for option '--augment':"
                + " 'crop-flip' is not one of none, openclip, simclr (see vireo train --help)");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void lessonListShowsTheCourse() {
        assertThat(Vireo.run("lesson", "list")).isZero();
        assertThat(stdout()).contains("L01Tensors");
    }
}
