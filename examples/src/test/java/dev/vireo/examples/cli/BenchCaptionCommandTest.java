package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vireo bench caption} on tiny models (the tiny random config, and the tiny BLIP captioning
 * folder of the models' parity fixture): its JSON report, ids of exactly the asked length, the digest
 * and pixel formula the peer script computes (values pinned from bench/peers/bench_caption_hf.py),
 * and bad options as one line and a failure.
 */
class BenchCaptionCommandTest {
    private static final Path CAPTIONER = Path.of("../models/src/test/resources/blipcap/tiny_blip_caption").toAbsolutePath().normalize();

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void tinyRandomModelReportsEveryFieldAndExactlyTheNewTokensAsked() throws Exception {
        assertThat(Vireo.run("bench", "caption", "--config", "tiny", "--images", "2", "--beams", "2", "--max-new-tokens", "3",
                "--rounds", "2", "--warmup", "0", "--json")).as("%s", console.err()).isZero();
        JsonNode j = console.json();
        for (String key : List.of("side", "model", "threads", "images", "beams", "max_new_tokens", "new_tokens", "load_s", "warmup_s", "round_s",
                "median_s", "min_s", "images_per_s", "ids_sha256", "ids", "peak_rss_mb", "jvm_max_heap_mb", "foreign_cpu")) {
            assertThat(j.has(key)).as("report has %s: %s", key, j).isTrue();
        }
        assertThat(j.get("model").asText()).startsWith("tiny (random weights");
        assertThat(j.get("images").asInt()).isEqualTo(2);
        assertThat(j.get("new_tokens").asInt()).isEqualTo(3);
        assertThat(j.get("round_s")).hasSize(2);
        assertThat(j.get("min_s").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(j.get("median_s").asDouble());
        assertThat(j.get("images_per_s").asDouble()).isGreaterThan(0);
        int[][] ids = ids(j.get("ids"));
        assertThat(ids).hasNumberOfRows(2);
        for (int[] row : ids) {
            assertThat(row).hasSize(1 + 3);
            assertThat(row[0]).isEqualTo(30522); // [DEC]
            assertThat(Arrays.copyOfRange(row, 1, row.length)).doesNotContain(102); // [SEP] suppressed: no early end
        }
        assertThat(j.get("ids_sha256").asText()).isEqualTo(BenchCaptionCommand.sha256(ids)).hasSize(64);
    }

    @Test
    void huggingFaceFolderIsLoadedAndTimed() throws Exception {
        assertThat(Vireo.run("bench", "caption", "--model", CAPTIONER.toString(), "--images", "2", "--max-new-tokens", "3",
                "--rounds", "1", "--warmup", "0")).as("%s", console.err()).isZero();
        JsonNode j = console.json();
        assertThat(j.get("model").asText()).isEqualTo(CAPTIONER.toString());
        assertThat(j.get("beams").asInt()).isEqualTo(3);
        int[][] ids = ids(j.get("ids"));
        assertThat(ids).hasNumberOfRows(2);
        for (int[] row : ids) assertThat(row).hasSize(1 + 3);
    }

    @Test
    void pixelsAndDigestAreThePeerScripts() {
        // bench_caption_hf.pixel_values(2, 4).flatten(): elements 0-7 and 48-55 (image 1), and the sum of all 96
        float[] v = BenchCaptionCommand.pixelValues(2, 4);
        assertThat(v).hasSize(96);
        assertThat(Arrays.copyOfRange(v, 0, 8)).containsExactly(-2.0f, -0.78125f, -1.53125f, -0.3125f, -1.0625f, -1.84375f, -0.59375f, -1.375f);
        assertThat(Arrays.copyOfRange(v, 48, 56)).containsExactly(-0.4375f, -1.1875f, 0.03125f, -0.71875f, -1.5f, -0.25f, -1.03125f, 0.21875f);
        double sum = 0;
        for (float x : v) sum += x;
        assertThat(sum).isEqualTo(-87.03125);
        // bench_caption_hf.ids_sha256([[30522, 7, 7], [30522, 11, 102]])
        assertThat(BenchCaptionCommand.sha256(new int[][] {{30522, 7, 7}, {30522, 11, 102}}))
                .isEqualTo("6e2c8e5666f197796e0d53a5fc17b5b0e7cfa6c7ca8bae5acb8808d26e2c6a57");
    }

    @Test
    void badOptionsAreOneLineAndAFailure() throws Exception {
        assertThat(Vireo.run("bench", "caption", "--config", "huge")).isEqualTo(1);
        assertThat(console.err()).contains("unknown --config 'huge'").contains("blip-base, tiny").hasLineCount(1);
        console.resetErr();
        assertThat(Vireo.run("bench", "caption", "--config", "tiny", "--images", "0")).isEqualTo(1);
        assertThat(console.err()).contains("--images must lie in [1, 64]").hasLineCount(1);
        console.resetErr();
        assertThat(Vireo.run("bench", "caption", "--config", "tiny", "--beams", "17")).isEqualTo(1);
        assertThat(console.err()).contains("--beams in [1, 16]").hasLineCount(1);
        console.resetErr();
        assertThat(Vireo.run("bench", "caption", "--config", "tiny", "--max-new-tokens", "64")).isEqualTo(1);
        assertThat(console.err()).contains("more than the decoder's 64 positions").hasLineCount(1);
    }

    private static int[][] ids(JsonNode rows) {
        List<int[]> out = new ArrayList<>();
        for (JsonNode row : rows) {
            int[] r = new int[row.size()];
            for (int i = 0; i < r.length; i++) r[i] = row.get(i).asInt();
            out.add(r);
        }
        return out.toArray(int[][]::new);
    }
}
