package dev.vireo.engine.optim;

import dev.vireo.engine.tensor.Tensor;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.Map;
import java.util.Set;

/**
 * Base of the optimisers: parameter groups, {@link #zeroGrad()}, state export for checkpoints.
 * A step reads each parameter's gradient buffer and updates its data in place; parameters whose
 * gradient was never created are skipped, as torch skips {@code p.grad is None}.
 */
public abstract class Optimizer {
    protected final List<ParamGroup> groups;

    protected Optimizer(List<ParamGroup> groups) {
        this.groups = List.copyOf(groups);
        Set<String> names = new HashSet<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : this.groups) {
            for (Map.Entry<String, Tensor> e : g.params().entrySet()) {
                if (!names.add(e.getKey())) throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter name '" + e.getKey() + "' appears twice");
                if (!seen.add(e.getValue())) throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + e.getKey() + "' is in two groups");
            }
        }
    }

    public List<ParamGroup> groups() {
        return groups;
    }

    /** Applies one update to every parameter that has a gradient. */
    public abstract void step();

    /** Zeroes every parameter's gradient. */
    public void zeroGrad() {
        for (ParamGroup g : groups) g.params().values().forEach(Tensor::zeroGrad);
    }

    /** A copy of the state needed to resume exactly. */
    public abstract OptimizerState state();

    /** Restores {@link #state()} output; parameters and their shapes must match. */
    public abstract void loadState(OptimizerState state);

    /** Current learning rates, for the state. */
    protected Map<String, String> groupScalars() {
        Map<String, String> s = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) s.put("group." + i + ".lr", Double.toString(groups.get(i).lr()));
        return s;
    }

    /** Restores the learning rates saved by {@link #groupScalars()} and checks the type. */
    protected void loadGroupScalars(OptimizerState state, String expectedType) {
        if (!state.type().equals(expectedType)) {
            throw new IllegalArgumentException(expectedType + ": cannot load the state of a " + state.type());
        }
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(Double.parseDouble(state.scalar("group." + i + ".lr")));
    }

    /** Runs {@code action} on every parameter of every group, with its name, in group order. */
    protected final void forEachParam(BiConsumer<String, Tensor> action) {
        for (ParamGroup g : groups) g.params().forEach(action);
    }

    /** The gradient buffer of {@code p}, or null when no backward pass has reached it. */
    protected static float[] gradOf(Tensor p) {
        return p.grad() == null ? null : p.gradBuffer();
    }
}
