package dev.vireo.examples.train;

import dev.vireo.examples.plot.LossCurve;
import dev.vireo.models.train.TrainListener;

import java.io.PrintStream;

/** What the command line and the lessons attach to a training run: a progress bar (unless quiet) and the loss curve. */
public final class RunReports {
    private RunReports() {}

    public static TrainListener[] standard(PrintStream out, boolean quiet) {
        return quiet ? new TrainListener[] {new LossCurve()} : new TrainListener[] {new ProgressBar(out), new LossCurve()};
    }
}
