package dev.vireo.models.train;

import java.io.PrintStream;

/** A one-line progress bar on a terminal stream: step, bar, loss, samples/s and ETA, redrawn in place. */
public final class ProgressBar {
    private final PrintStream out;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final long firstStep;
    private long lastDraw;

    public ProgressBar(PrintStream out, long firstStep, long total) {
        this.out = out;
        this.firstStep = firstStep;
        this.total = total;
    }

    /** Redraws at most ten times a second, and always for the last step. */
    public void update(long step, double loss, double samplesPerSecond) {
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
