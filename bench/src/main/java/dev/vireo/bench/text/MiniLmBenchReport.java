package dev.vireo.bench.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.bench.BenchTimer;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.models.SentenceEncoder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vireo bench minilm}: all-MiniLM-L6-v2 sentence embeddings from strings to normalised
 * vectors, measured as bench/peers/bench_minilm_ort.py measures ONNX Runtime: throughput on batches
 * of 32 mixed-length sentences (median seconds per batch over the file's batches and the reps) and
 * batch-1 latency (median over the first 64 sentences, one at a time), on minilm_sentences.txt.
 * Each phase is timed after a warm-up on its own inputs; the single sentences warm up for
 * {@link #SINGLES_WARMUP_SECONDS}, as the peer's script does: a few calls leave the JIT still
 * compiling the request-sized paths after the batches (the first 320 timed calls measured 10-20%
 * slower than the next 320 once eight warm-up calls were all they had). With {@code --serve} it
 * times single sentences on request instead ({@link MiniLmLatencyServer}).
 */
public final class MiniLmBenchReport {
    private MiniLmBenchReport() {}

    /** How long the batch-1 phase warms up before it is timed (the peer's script warms up as long). */
    static final double SINGLES_WARMUP_SECONDS = 3;

    public static void main(String[] args) throws IOException {
        List<String> a = Arrays.asList(args);
        int at = a.indexOf("--model");
        if (at < 0 || at + 1 >= args.length) throw new IllegalArgumentException("bench minilm: --model DIR is required");
        boolean quick = a.contains("--quick");
        if (a.contains("--serve")) {
            serve(Path.of(args[at + 1]));
            return;
        }
        int reps = quick ? 1 : 5, latencyCount = quick ? 8 : 64;
        List<String> sentences = sentences();
        long loadStart = System.nanoTime();
        try (SentenceEncoder minilm = SentenceEncoder.load(Path.of(args[at + 1]))) {
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            List<List<String>> batches = new ArrayList<>();
            for (int i = 0; i + 32 <= sentences.size(); i += 32) batches.add(sentences.subList(i, i + 32));
            for (List<String> b : batches.subList(0, 2)) minilm.encode(b);
            List<Double> perBatch = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                for (List<String> b : batches) perBatch.add(seconds(() -> minilm.encode(b)));
            }
            List<String> singles = sentences.subList(0, latencyCount);
            BenchTimer.warmUp(8, quick ? 0 : SINGLES_WARMUP_SECONDS, i -> minilm.encode(List.of(singles.get(i % singles.size()))));
            List<Double> latency = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                for (String s : singles) latency.add(seconds(() -> minilm.encode(List.of(s))));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("threads", ComputePool.global().threads());
            out.put("load_s", loadSeconds);
            out.put("batch32_sentences_per_s", 32 / median(perBatch));
            out.put("batch1_latency_ms", 1000 * median(latency));
            System.out.println(new ObjectMapper().writeValueAsString(out));
        }
    }

    /** {@code --serve}: batch-1 latency on request ({@link MiniLmLatencyServer}), on stdin and stdout. */
    private static void serve(Path model) throws IOException {
        try (SentenceEncoder minilm = SentenceEncoder.load(model)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            new MiniLmLatencyServer(sentences(), minilm::encode).serve(in, System.out);
        }
    }

    static List<String> sentences() throws IOException {
        try (InputStream in = MiniLmBenchReport.class.getResourceAsStream("/bench/minilm_sentences.txt")) {
            if (in == null) throw new IOException("bench minilm: minilm_sentences.txt is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static double seconds(Runnable body) {
        long t0 = System.nanoTime();
        body.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v[v.length / 2];
    }
}
