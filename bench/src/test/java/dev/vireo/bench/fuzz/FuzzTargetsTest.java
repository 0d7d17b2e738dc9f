package dev.vireo.bench.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short, seeded version of `vireo bench fuzz` that CI runs: 1,000 mutated inputs per parser of
 * outside input end in a result or a clean one-line error, never a crash, an out-of-memory error, a
 * stack overflow or a hang, and no input makes a parser allocate more than 256 MB. Every seed file is
 * itself accepted, so the mutations start from inputs that reach deep into each parser.
 */
class FuzzTargetsTest {
    @TempDir
    Path dir;

    @Test
    void everyParserOfOutsideInputHasATarget() throws IOException {
        // README's 'bench fuzz' row and BenchCommand's --targets help list these; a new parser of outside input joins them
        assertThat(FuzzTargets.names(FuzzTargets.all(dir))).containsExactly(
                "png", "jpeg", "gif", "bmp",
                "safetensors", "checkpoint", "onnx", "clip-config-json", "vl-config-json", "blip-config", "vilt-config", "lit-config-json", "hf-clip-config",
                "bert-config-json", "grounding-json",
                "clip-preprocess-config",
                "vocab-txt", "tokenizer-json", "clip-bpe-vocab",
                "caption-csv", "webdataset-tar", "idx", "coco-json", "karpathy-json", "caption-score-json", "vqa-json");
    }

    @Test
    void everySeedIsAccepted() throws Exception {
        for (FuzzTarget t : FuzzTargets.all(dir)) {
            for (byte[] seed : t.seeds()) t.parser().parse(seed);
        }
    }

    @Test
    void mutatedInputsEndInResultsOrCleanErrors() throws IOException {
        Fuzzer fuzzer = new Fuzzer(10_000);
        try {
            for (FuzzTarget t : FuzzTargets.all(dir)) {
                Fuzzer.Tally tally = fuzzer.run(t, 1_000, 20261205L);
                assertThat(tally.crashes + tally.outOfMemory + tally.stackOverflows + tally.hangs)
                        .as("%s: %s", t.name(), tally.toJson()).isZero();
                assertThat(tally.cleanErrors).as("%s rejects some damaged inputs", t.name()).isPositive();
                assertThat(tally.maxAllocatedBytes).as("%s: most bytes one input allocated", t.name()).isLessThan(256L << 20); // a small JPEG may rightly claim a large flat image; the pixel limit bounds it
            }
        } finally {
            fuzzer.close();
        }
    }

    @Test
    void onlyVireosOwnOneLineErrorsAreClean() {
        assertThat(Fuzzer.clean(new dev.vireo.models.image.ImageDecodeException("x.png", "truncated"))).isTrue();
        var quoted = new dev.vireo.models.image.ImageDecodeException("x.png", "chunk l\n\u0000");
        assertThat(quoted.getMessage()).as("quoted bytes are escaped").doesNotContain("\n").contains("\\n");
        assertThat(Fuzzer.clean(quoted)).isTrue();
        assertThat(Fuzzer.clean(new dev.vireo.engine.io.json.JsonException("two\nlines", 3))).as("a message of two lines").isFalse();
        assertThat(Fuzzer.clean(new NullPointerException("boom"))).isFalse();
        IllegalArgumentException fromTheJdk = null;
        try {
            Integer.parseInt("twelve");
        } catch (NumberFormatException e) {
            fromTheJdk = e;
        }
        assertThat(Fuzzer.clean(fromTheJdk)).as("an IllegalArgumentException the JDK raised").isFalse();
    }
}
