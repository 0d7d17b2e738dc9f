package dev.vireo.models.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a training run reports as it goes, to whoever wants it: a progress bar, a loss curve, a log.
 * The trainer calls every listener in the order given, on its own thread; each method does nothing
 * unless overridden.
 */
public interface TrainListener {
    /**
     * One optimiser step done: {@code step} counts from 1, {@code loss} is the mean over its
     * micro-batches; {@code parts} holds the loss of each objective when there are several (empty otherwise).
     */
    record Step(long step, long steps, double loss, double lr, double logitScale, double samplesPerSecond,
                double smoothedSamplesPerSecond, Map<String, Double> parts) {
        public Step {
            parts = Map.copyOf(parts);
        }

        /** A step of a single-objective run. */
        public Step(long step, long steps, double loss, double lr, double logitScale, double samplesPerSecond,
                    double smoothedSamplesPerSecond) {
            this(step, steps, loss, lr, logitScale, samplesPerSecond, smoothedSamplesPerSecond, Map.of());
        }
    }

    /** Before the first step: the run trains steps {@code firstStep + 1 .. steps}; {@code firstStep > 0} after a resume. */
    default void onStart(Path runDir, long firstStep, long steps) {}

    default void onStep(Step step) {}

    /** A checkpoint of the run after {@code step} was written to {@code file}. */
    default void onCheckpoint(long step, Path file) {}

    /** The run finished (or stopped where it was told to). */
    default void onEnd(ClipTrainer.Result<?> result) {}
}
