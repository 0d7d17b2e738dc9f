package dev.vireo.engine.optim;

/**
 * A learning-rate schedule as a multiplier of each group's base rate, like torch's {@code LambdaLR}:
 * step {@code s} (counted from 0, one per optimiser step) runs at {@code baseLr · factor(s)}. A pure
 * function of the step, so resuming from a checkpoint only needs the step count.
 */
@FunctionalInterface
public interface LrSchedule {

    /** The multiplier of the base learning rate at optimiser step {@code step} (0-based). */
    double factor(long step);

    /** Sets every group's learning rate for {@code step}; call before {@link Optimizer#step()}. */
    default void apply(Optimizer optimizer, long step) {
        double f = factor(step);
        for (ParamGroup g : optimizer.groups()) g.setLr(g.baseLr() * f);
    }

    /** The base rate throughout. */
    static LrSchedule constant() {
        return step -> 1.0;
    }

    /** Multiplied by {@code gamma} every {@code stepSize} steps (torch's {@code StepLR}). */
    static LrSchedule step(long stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("step schedule: stepSize must be positive, got " + stepSize);
        return step -> Math.pow(gamma, (double) (step / stepSize));
    }

    /**
     * Linear warm-up over {@code warmupSteps} (step s runs at (s + 1) / warmup), then a half cosine
     * (Loshchilov and Hutter 2017, SGDR) from 1 down to {@code floor} at {@code totalSteps}, and
     * {@code floor} after.
     */
    static LrSchedule warmupCosine(long warmupSteps, long totalSteps, double floor) {
        if (warmupSteps < 0 || totalSteps < warmupSteps || !(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("warmup-cosine schedule: need 0 <= warmup (" + warmupSteps + ") <= total (" + totalSteps
                    + ") and floor " + floor + " in [0, 1]");
        }
        return step -> {
            if (step < warmupSteps) return (step + 1) / (double) warmupSteps;
            double progress = Math.min(1.0, (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps));
            return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }
}
