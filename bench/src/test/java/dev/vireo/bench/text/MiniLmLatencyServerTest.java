package dev.vireo.bench.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The protocol bench/peers/compare_minilm_paired.py speaks with `vireo bench minilm --serve`. */
class MiniLmLatencyServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void encodesTheRequestedSentencesOneAtATimeInOrderAndTimesEach() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        MiniLmLatencyServer server = new MiniLmLatencyServer(List.of("a cat", "a dog", "a bird"), seen::add);
        List<JsonNode> replies = serve(server, "2 0 0\n\n1\n");
        assertThat(replies.get(0).get("ready").asBoolean()).isTrue();
        assertThat(replies.get(0).get("sentences").asInt()).isEqualTo(3);
        assertThat(seen).containsExactly(List.of("a bird"), List.of("a cat"), List.of("a cat"), List.of("a dog"));
        assertThat(replies).hasSize(3); // the blank line gets no reply
        assertThat(replies.get(1).get("ms")).hasSize(3);
        assertThat(replies.get(2).get("ms")).hasSize(1);
        for (JsonNode t : replies.get(1).get("ms")) assertThat(t.asDouble()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aRequestItCannotReadGetsAnErrorAndTheServerGoesOn() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        MiniLmLatencyServer server = new MiniLmLatencyServer(List.of("a cat", "a dog"), seen::add);
        List<JsonNode> replies = serve(server, "0 x\n0 2\n-1\n1\n");
        assertThat(replies.get(1).get("error").asText()).isEqualTo("not a sentence index: 'x'");
        assertThat(replies.get(2).get("error").asText()).isEqualTo("sentence index 2 is outside 0..1");
        assertThat(replies.get(3).get("error").asText()).isEqualTo("sentence index -1 is outside 0..1");
        assertThat(replies.get(4).get("ms")).hasSize(1);
        assertThat(seen).containsExactly(List.of("a dog")); // nothing of a refused request is encoded
    }

    private static List<JsonNode> serve(MiniLmLatencyServer server, String input) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        server.serve(new BufferedReader(new StringReader(input)), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<JsonNode> replies = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) replies.add(JSON.readTree(line));
        return replies;
    }
}
