package dev.vireo.models.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.data.VqaItem;
import dev.vireo.models.data.VqaPrediction;
import dev.vireo.models.data.VqaV2Reader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * VQA accuracy against the official evaluation (GT-Vision-Lab/VQA vqaEval.py) on 47 cases: all ten
 * agreeing (no normalisation), case, punctuation next to spaces, commas in numbers, "two" vs "2",
 * articles, contractions, "2.5", more than 32 periods, whitespace, 1-4 matching humans. Fixtures in
 * {@code src/test/resources/vqa-metrics/}, made by {@code make_reference.py}.
 */
class VqaAccuracyParityTest {
    private static final Path DIR = Path.of("src/test/resources/vqa-metrics");

    @Test
    void plainListMatchesTheOfficialEvaluation() throws IOException {
        JsonNode reference = new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
        List<VqaPrediction> all = VqaV2Reader.readPredictions(DIR.resolve("cases.json"));
        assertThat(all).hasSize(47);
        double worst = 0;
        for (JsonNode evaluation : reference.get("evaluations")) {
            List<VqaPrediction> subset = new ArrayList<>();
            for (JsonNode id : evaluation.get("ids")) subset.add(all.stream().filter(p -> p.id().equals(id.asText())).findFirst().orElseThrow());
            VqaAccuracy.Result result = VqaAccuracy.evaluate(subset);
            assertThat(result.overall()).as("overall").isEqualTo(evaluation.get("overall").asDouble());
            for (var e : result.perQuestion().entrySet()) {
                double expected = evaluation.get("per_question").get(e.getKey()).asDouble();
                assertThat(e.getValue()).as(e.getKey()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1e-300, Math.abs(expected))));
                if (expected != 0) worst = Math.max(worst, Math.abs(e.getValue() - expected) / Math.abs(expected));
            }
        }
        System.out.printf("VQA accuracy vs vqaEval.py: worst relative difference %.3g%n", worst);
    }

    @Test
    void vqaV2FilesGiveTheSameFigures() throws IOException {
        JsonNode reference = new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
        List<VqaItem> items = VqaV2Reader.read(DIR.resolve("questions.json"), DIR.resolve("annotations.json"));
        Map<Long, String> results = VqaV2Reader.readResults(DIR.resolve("results.json"));
        VqaAccuracy.Result result = VqaAccuracy.evaluate(VqaV2Reader.join(items, results, DIR.resolve("results.json")));
        JsonNode whole = reference.get("evaluations").get(0);
        assertThat(result.overall()).isEqualTo(whole.get("overall").asDouble());
        JsonNode ids = reference.get("question_ids");
        ids.fieldNames().forEachRemaining(name -> assertThat(result.perQuestion().get(ids.get(name).asText()))
                .as(name).isCloseTo(whole.get("per_question").get(name).asDouble(), org.assertj.core.data.Offset.offset(1e-12)));
    }

    @Test
    void roundsAsPython3() {
        assertThat(VqaAccuracy.roundHalfEven(72.545, 2)).isEqualTo(72.55); // 72.545 is 72.5450000000000017... in binary
        assertThat(VqaAccuracy.roundHalfEven(0.125, 2)).isEqualTo(0.12); // an exact tie: half to even
        assertThat(VqaAccuracy.roundHalfEven(0.375, 2)).isEqualTo(0.38);
        assertThat(VqaAccuracy.roundHalfEven(2.675, 2)).isEqualTo(2.67); // 2.67499999... in binary
    }

    @Test
    void allTenAgreeingSkipsNormalisation() {
        List<String> yes = List.of("yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes");
        assertThat(VqaAccuracy.score(yes, " yes\n")).isEqualTo(1.0);
        assertThat(VqaAccuracy.score(yes, "Yes")).isZero();
        List<String> mixed = new ArrayList<>(yes);
        mixed.set(9, "no");
        assertThat(VqaAccuracy.score(mixed, "Yes.")).isEqualTo(1.0);
        assertThat(VqaAccuracy.score(mixed, "no")).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-15));
    }
}
