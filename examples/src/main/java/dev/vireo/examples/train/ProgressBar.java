package dev.vireo.examples.train;

import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.TrainListener;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A one-line progress bar on a terminal stream, fed by the trainer: step, bar, loss, samples/s and
 * ETA, redrawn in place. Says so when a run resumes.
 */
public final class ProgressBar implements TrainListener {
    private final PrintStream out;
    private long startNanos;
    private long firstStep;
    private long lastDraw;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onStart(Path runDir, long firstStep, long steps) {
        this.startNanos = System.nanoTime();
        this.firstStep = firstStep;
        if (firstStep > 0) out.println("resuming from " + runDir.resolve(ClipTrainer.CHECKPOINT) + " at step " + firstStep);
    }

    @Override
    public void onStep(Step s) {
        update(s.step(), s.steps(), s.loss(), s.smoothedSamplesPerSecond());
    }

    /** Redraws at most ten times a second, and always for the last step. */
    void update(long step, long total, double loss, double samplesPerSecond) {
        long now = System.nanoTime();
        if (step < total && now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        double elapsed = (now - startNanos) / 1e9;
        long done = step - firstStep;
        double eta = done > 0 ? elapsed / done * (total - step) : 0;
        int width = 24, filled = (int) (width * step / Math.max(1, total));
        String bar = "=".repeat(filled) + (filled < width ? ">" + " ".repeat(width - filled - 1) : "");
        out.printf("\rstep %d/%d [%s] loss %.4f | %.0f samples/s | ETA %s   ", step, total, bar, loss, samplesPerSecond, time(eta));
        if (step >= total) out.println();
        out.flush();
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
