package dev.vireo.models.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.io.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/** One JSON object per line ({@code metrics.jsonl}), flushed each step so a crash loses at most one line. */
public final class MetricsLog implements TrainListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MetricsLog.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final BufferedWriter writer;
    private final List<double[]> losses = new ArrayList<>();

    /**
     * Opens the log; when resuming, lines past {@code keepUpToStep} (written after the checkpoint) are dropped,
     * and so is a torn last line (a crash or a full disk while it was written). The kept lines replace the file
     * atomically before new ones are appended, so a crash while resuming loses nothing. A damaged line that is
     * not the last is an error naming the file and the line.
     */
    public MetricsLog(Path file, long keepUpToStep) throws IOException {
        List<String> kept = new ArrayList<>();
        if (keepUpToStep > 0 && Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                double[] record = parse(lines.get(i));
                if (record == null) {
                    if (i == lines.size() - 1) {
                        LOG.warning(file + ": dropped a torn last line (" + lines.get(i).length() + " characters) to resume");
                        break;
                    }
                    throw new IOException(file + " line " + (i + 1) + " is not a metrics record: the log is damaged;"
                            + " remove that line (or the file) to resume");
                }
                if (record[0] <= keepUpToStep) {
                    kept.add(lines.get(i));
                    losses.add(record);
                }
            }
        }
        AtomicFiles.write(file, ch -> {
            StringBuilder sb = new StringBuilder();
            for (String line : kept) sb.append(line).append(System.lineSeparator());
            ByteBuffer bytes = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) ch.write(bytes);
        });
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** (step, loss) of one log line, or null when the line is not a whole record. */
    private static double[] parse(String line) {
        try {
            Map<?, ?> m = MAPPER.readValue(line, Map.class);
            if (m.get("step") instanceof Number step && m.get("loss") instanceof Number loss) {
                return new double[] {step.longValue(), loss.doubleValue()};
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void onStep(Step s) {
        log(s.step(), s.loss(), s.lr(), s.logitScale(), s.samplesPerSecond(), s.parts());
    }

    public void log(long step, double loss, double lr, double logitScale, double samplesPerSecond) {
        log(step, loss, lr, logitScale, samplesPerSecond, Map.of());
    }

    /** One line (no {@code logit_scale} when it is NaN); each objective's loss in {@code parts} goes in as {@code loss_<name>}, in name order. */
    public void log(long step, double loss, double lr, double logitScale, double samplesPerSecond, Map<String, Double> parts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("loss", loss);
        m.put("lr", lr);
        if (!Double.isNaN(logitScale)) m.put("logit_scale", logitScale); // NaN: the model has no temperature
        m.put("samples_per_s", samplesPerSecond);
        new TreeMap<>(parts).forEach((name, value) -> m.put("loss_" + name, value));
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
