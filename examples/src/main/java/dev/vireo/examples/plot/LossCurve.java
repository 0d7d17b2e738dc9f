package dev.vireo.examples.plot;

import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.TrainListener;

import java.util.List;

/** Draws a finished run's loss curve, every logged step including those before a resume, as {@code loss.png} in its folder. */
public final class LossCurve implements TrainListener {
    public static final String FILE = "loss.png";

    @Override
    public void onEnd(ClipTrainer.Result<?> result) {
        List<double[]> losses = result.losses();
        double[] x = new double[losses.size()], y = new double[losses.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = losses.get(i)[0];
            y[i] = losses.get(i)[1];
        }
        new LinePlot("Contrastive loss", "step", "loss").add("train", x, y).save(result.runDir().resolve(FILE));
    }
}
