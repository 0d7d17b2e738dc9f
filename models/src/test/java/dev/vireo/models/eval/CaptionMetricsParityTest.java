package dev.vireo.models.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.data.CaptionCandidate;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BLEU-1..4, ROUGE-L and CIDEr-D against pycocoevalcap on 33 pre-tokenised cases (empty candidate,
 * repeated n-grams, ties in the closest reference length, tabs, double spaces, an empty reference...)
 * and three corpora: {@code src/test/resources/caption-metrics/}, made by {@code make_reference.py};
 * and raw captions end to end as COCOEvalCap scores them, its PTBTokenizer first
 * ({@code raw-reference.json}, made by {@code make_tokenized_reference.py}).
 */
class CaptionMetricsParityTest {
    private static final Path DIR = Path.of("src/test/resources/caption-metrics");
    private static final double RTOL = 1e-9;

    @Test
    void matchesPycocoevalcapOnEveryCorpus() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> cases = new HashMap<>();
        for (JsonNode c : mapper.readTree(DIR.resolve("cases.json").toFile())) cases.put(c.get("id").asText(), c);
        JsonNode corpora = mapper.readTree(DIR.resolve("reference.json").toFile()).get("corpora");
        assertThat(corpora).hasSize(3);
        double worst = 0;
        for (JsonNode corpus : corpora) {
            List<String> ids = new ArrayList<>();
            List<List<String>> refs = new ArrayList<>();
            List<String> candidates = new ArrayList<>();
            for (JsonNode id : corpus.get("ids")) {
                JsonNode c = cases.get(id.asText());
                ids.add(id.asText());
                List<String> r = new ArrayList<>();
                c.get("refs").forEach(x -> r.add(x.asText()));
                refs.add(r);
                candidates.add(c.get("candidate").asText());
            }
            CaptionMetrics.Scores scores = CaptionMetrics.scoreTokenized(ids, refs, candidates);
            worst = Math.max(worst, check(scores.corpus(), corpus.get("corpus"), "corpus of " + ids.size()));
            for (String id : ids) worst = Math.max(worst, check(scores.perImage().get(id), corpus.get("per_image").get(id), id));
        }
        System.out.printf("caption metrics vs pycocoevalcap: worst relative difference %.3g%n", worst);
    }

    @Test
    void rawCaptionsScoreAsCocoEvalCapWithItsTokenizer() throws IOException {
        JsonNode reference = new ObjectMapper().readTree(DIR.resolve("raw-reference.json").toFile());
        List<CaptionCandidate> items = new ArrayList<>();
        for (JsonNode c : reference.get("cases")) {
            List<String> refs = new ArrayList<>();
            c.get("refs").forEach(x -> refs.add(x.asText()));
            items.add(new CaptionCandidate(c.get("id").asText(), refs, c.get("candidate").asText()));
        }
        for (CaptionCandidate item : items) {
            JsonNode refs = reference.at("/tokenized/refs/" + item.id());
            for (int i = 0; i < refs.size(); i++) assertThat(CaptionTokenizer.tokenize(item.references().get(i))).isEqualTo(refs.get(i).asText());
            assertThat(CaptionTokenizer.tokenize(item.candidate())).isEqualTo(reference.at("/tokenized/candidates/" + item.id()).get(0).asText());
        }
        CaptionMetrics.Scores scores = CaptionMetrics.evaluate(items);
        check(scores.corpus(), reference.get("corpus"), "raw corpus");
        for (CaptionCandidate item : items) check(scores.perImage().get(item.id()), reference.get("per_image").get(item.id()), item.id());
    }

    private static double check(Map<String, Double> ours, JsonNode reference, String where) {
        double worst = 0;
        assertThat(ours.keySet()).containsExactlyElementsOf(CaptionMetrics.NAMES);
        for (String name : CaptionMetrics.NAMES) {
            double expected = reference.get(name).asDouble(), actual = ours.get(name);
            double diff = Math.abs(actual - expected), scale = Math.max(Math.abs(expected), Math.abs(actual));
            assertThat(diff).as("%s %s: ours %s, reference %s", where, name, actual, expected).isLessThanOrEqualTo(RTOL * scale);
            if (scale > 0) worst = Math.max(worst, diff / scale);
        }
        return worst;
    }
}
