package dev.vireo.engine.optim;

/**
 * Gradient accumulation: a batch split into {@code k} micro-batches, each loss scaled by 1/k and
 * back-propagated (gradients add up in the parameters), one optimiser step after the k-th. With
 * mean losses this gives the gradient of the whole batch's mean loss.
 * <pre>
 *   for (batch : micro) { loss(batch).mul(acc.lossScale()).backward(); if (acc.microStepDone()) { opt.step(); opt.zeroGrad(); } }
 * </pre>
 */
public final class GradAccumulation {
    private final int microSteps;
    private int done;

    public GradAccumulation(int microSteps) {
        if (microSteps <= 0) throw new IllegalArgumentException("gradient accumulation: micro-steps must be positive, got " + microSteps);
        this.microSteps = microSteps;
    }

    /** The factor each micro-batch's loss is multiplied by: 1/k. */
    public float lossScale() {
        return 1f / microSteps;
    }

    /** Records one finished backward pass; true when the optimiser should step now (every k-th call). */
    public boolean microStepDone() {
        done++;
        if (done < microSteps) return false;
        done = 0;
        return true;
    }

    /** Micro-batches accumulated since the last step. */
    public int pending() {
        return done;
    }

    public int microSteps() {
        return microSteps;
    }
}
