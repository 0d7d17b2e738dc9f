package dev.vireo.engine.io;

import dev.vireo.engine.optim.OptimizerState;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Child process of {@link CheckpointCrashTest}: saves checkpoints to {@code args[0]} in a tight
 * loop, step 1, 2, 3, ..., each holding {@code args[1]} floats all equal to the step, and prints
 * {@code saved <step>} after each save has returned. It runs until it is killed.
 */
public final class CheckpointSaveLoop {
    private CheckpointSaveLoop() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int floats = Integer.parseInt(args[1]);
        Rng rng = new Rng(1);
        for (long step = 1; ; step++) {
            float[] w = new float[floats];
            Arrays.fill(w, step);
            OptimizerState opt = new OptimizerState("sgd", Map.of("group.0.lr", "0.1"),
                    Map.of("w.momentum_buffer", Tensor.of(w.clone(), floats)));
            new Checkpoint(step, rng.state(), "{\"step\":" + step + "}", Map.of("w", Tensor.of(w, floats)), opt, null).save(file);
            System.out.println("saved " + step);
            System.out.flush();
        }
    }
}
