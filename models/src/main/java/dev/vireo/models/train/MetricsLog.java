package dev.vireo.models.train;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One JSON object per line ({@code metrics.jsonl}), flushed each step so a crash loses at most one line. */
public final class MetricsLog implements TrainListener, AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final BufferedWriter writer;
    private final List<double[]> losses = new ArrayList<>();

    /** Opens the log; when resuming, lines past {@code keepUpToStep} (written after the checkpoint) are dropped. */
    public MetricsLog(Path file, long keepUpToStep) throws IOException {
        List<String> kept = new ArrayList<>();
        if (keepUpToStep > 0 && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Map<?, ?> m = MAPPER.readValue(line, Map.class);
                long step = ((Number) m.get("step")).longValue();
                if (step <= keepUpToStep) {
                    kept.add(line);
                    losses.add(new double[] {step, ((Number) m.get("loss")).doubleValue()});
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        for (String line : kept) {
            writer.write(line);
            writer.newLine();
        }
        writer.flush();
    }

    @Override
    public void onStep(Step s) {
        log(s.step(), s.loss(), s.lr(), s.logitScale(), s.samplesPerSecond());
    }

    public void log(long step, double loss, double lr, double logitScale, double samplesPerSecond) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("loss", loss);
        m.put("lr", lr);
        m.put("logit_scale", logitScale);
        m.put("samples_per_s", samplesPerSecond);
        losses.add(new double[] {step, loss});
        try {
            writer.write(MAPPER.writeValueAsString(m));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
        }
    }

    /** (step, loss) pairs logged so far, for the loss curve. */
    public List<double[]> losses() {
        return losses;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
