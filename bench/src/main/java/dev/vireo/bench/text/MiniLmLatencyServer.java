package dev.vireo.bench.text;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code vireo bench minilm --serve}: batch-1 sentence latency on request, for a driver that times a
 * peer in its own process between our requests (bench/peers/compare_minilm_paired.py). Both sides
 * then see the same minutes of a shared host: the rounds of compare_minilm.sh are a minute apart, and
 * the host's speed moves by a third between minutes.
 *
 * <p>Protocol, one line each way: the server first prints {@code {"ready":true,"sentences":N}}; each
 * request is the indices of sentences of minilm_sentences.txt, separated by spaces, encoded one at a
 * time; the reply is {@code {"ms":[...]}}, each sentence's time from string to normalised vector, in
 * request order. A request it cannot read gets {@code {"error":"..."}} and the server goes on; end of
 * input ends it.
 */
final class MiniLmLatencyServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> sentences;
    private final Consumer<List<String>> encoder;

    /** @param encoder encodes a batch of sentences (here always one), as the timed work */
    MiniLmLatencyServer(List<String> sentences, Consumer<List<String>> encoder) {
        this.sentences = sentences;
        this.encoder = encoder;
    }

    /** Serves requests from {@code in} until its end, replying on {@code out}. */
    void serve(BufferedReader in, PrintStream out) throws IOException {
        out.println(JSON.writeValueAsString(Map.of("ready", true, "sentences", sentences.size())));
        out.flush();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            out.println(reply(line));
            out.flush();
        }
    }

    /** The reply to one request line. */
    String reply(String line) throws IOException {
        Map<String, Object> reply = new LinkedHashMap<>();
        List<String> picked = new ArrayList<>();
        for (String token : line.trim().split("\\s+")) {
            int index;
            try {
                index = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                reply.put("error", "not a sentence index: '" + token + "'");
                return JSON.writeValueAsString(reply);
            }
            if (index < 0 || index >= sentences.size()) {
                reply.put("error", "sentence index " + index + " is outside 0.." + (sentences.size() - 1));
                return JSON.writeValueAsString(reply);
            }
            picked.add(sentences.get(index));
        }
        double[] ms = new double[picked.size()];
        for (int i = 0; i < ms.length; i++) {
            List<String> one = List.of(picked.get(i));
            long t0 = System.nanoTime();
            encoder.accept(one);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        reply.put("ms", ms);
        return JSON.writeValueAsString(reply);
    }
}
