package dev.vireo.engine.optim;

import dev.vireo.engine.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named parameters that share a learning rate and a weight decay (torch's {@code param_groups}).
 * The base learning rate is fixed; a {@link LrSchedule} sets the current one from it each step.
 */
public final class ParamGroup {
    private final Map<String, Tensor> params;
    private final double baseLr;
    private final double weightDecay;
    private double lr;

    /** {@code params} in a fixed order (the map's iteration order), each a contiguous heap tensor. */
    public ParamGroup(Map<String, Tensor> params, double lr, double weightDecay) {
        if (!(lr >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("param group: lr " + lr + " and weight decay " + weightDecay + " must be >= 0");
        }
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            if (!p.isContiguous() || !p.storage().isHeap()) {
                throw new IllegalArgumentException("param group: parameter '" + e.getKey() + "' must be a contiguous heap tensor (use dense())");
            }
        }
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.baseLr = lr;
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    public Map<String, Tensor> params() {
        return params;
    }

    /** The learning rate the group was created with. */
    public double baseLr() {
        return baseLr;
    }

    /** The learning rate the next step uses. */
    public double lr() {
        return lr;
    }

    public void setLr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("param group: lr must be >= 0, got " + lr);
        this.lr = lr;
    }

    public double weightDecay() {
        return weightDecay;
    }
}
