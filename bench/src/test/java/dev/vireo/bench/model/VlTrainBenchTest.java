package dev.vireo.bench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** `vireo bench vl --quick --json` runs VlTrainer's steps and reports what compare_vl.sh reads. */
class VlTrainBenchTest {
    @Test
    void quickRunReportsThroughputAndThePeersShapes() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            VlTrainBench.main(new String[] {"--quick", "--json"});
        } finally {
            System.setOut(out);
        }
        JsonNode report = new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));
        assertThat(report.get("model").asText()).isEqualTo("vl-mid");
        assertThat(report.get("objectives").asText()).isEqualTo("itc,itm,mlm");
        assertThat(report.get("batch").asInt()).isEqualTo(16);
        assertThat(report.get("timed_steps").asInt()).isEqualTo(2);
        assertThat(report.get("samples_per_s").asDouble()).isPositive();
        assertThat(report.get("s_per_step_best").asDouble()).isLessThanOrEqualTo(report.get("s_per_step_median").asDouble());
        // the shapes world's captions: a vocabulary of a few dozen words, [CLS] caption [SEP] under 32 positions
        assertThat(report.get("vocab_size").asInt()).isBetween(20, 512);
        double caption = report.get("caption_length_mean").asDouble(), padded = report.get("text_length_mean").asDouble();
        assertThat(caption).isGreaterThan(3);
        assertThat(padded).isGreaterThanOrEqualTo(caption).isLessThanOrEqualTo(32);
    }
}
