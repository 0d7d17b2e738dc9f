package dev.vireo.engine.optim;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay, step for
 * step as {@code torch.optim.SGD} computes it:
 * <pre>
 *   d = g + wd·p
 *   b = d                          (first step)
 *   b = μ·b + (1 − dampening)·d    (later steps)
 *   d = d + μ·b  (Nesterov)  or  d = b
 *   p = p − lr·d
 * </pre>
 * Nesterov momentum (Sutskever et al. 2013) needs μ > 0 and no dampening, as in torch.
 */
public final class Sgd extends Optimizer {
    public static final String TYPE = "sgd";
    private static final int CHUNK = 1 << 15;

    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final Map<String, float[]> buffers = new HashMap<>();

    /** Plain SGD, no momentum. */
    public Sgd(List<ParamGroup> groups) {
        this(groups, 0, 0, false);
    }

    public Sgd(List<ParamGroup> groups, double momentum, double dampening, boolean nesterov) {
        super(groups);
        if (!(momentum >= 0) || !(dampening >= 0 && dampening <= 1)) {
            throw new IllegalArgumentException("SGD: momentum " + momentum + " must be >= 0 and dampening " + dampening + " in [0, 1]");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and zero dampening (got "
                    + momentum + ", " + dampening + ")");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
    }

    @Override
    public void step() {
        float mu = (float) momentum;
        float keep = (float) (1 - dampening);
        for (ParamGroup g : groups) {
            float wd = (float) g.weightDecay();
            float negLr = (float) -g.lr();
            for (Map.Entry<String, Tensor> e : g.params().entrySet()) {
                Tensor t = e.getValue();
                float[] grad = gradOf(t);
                if (grad == null) continue;
                float[] p = t.array();
                int off = t.offset();
                int n = t.numel();
                float[] buf = momentum == 0 ? null : buffers.get(e.getKey());
                boolean first = momentum != 0 && buf == null;
                if (first) {
                    buf = new float[n];
                    buffers.put(e.getKey(), buf);
                }
                float[] b = buf;
                ComputePool.global().parallelFor(n, CHUNK, (from, to) -> update(p, off, grad, b, first, from, to, wd, mu, keep, nesterov, negLr));
            }
        }
    }

    /** The update of elements {@code [from, to)}; {@code buf} is null without momentum, filled with d on the first step. */
    private static void update(float[] p, int off, float[] grad, float[] buf, boolean first, int from, int to,
                               float wd, float mu, float keep, boolean nesterov, float negLr) {
        for (int i = from; i < to; i++) {
            float d = wd != 0 ? grad[i] + wd * p[off + i] : grad[i];
            if (buf != null) {
                buf[i] = first ? d : buf[i] * mu + keep * d;
                d = nesterov ? d + mu * buf[i] : buf[i];
            }
            p[off + i] += negLr * d;
        }
    }

    @Override
    public OptimizerState state() {
        Map<String, String> scalars = groupScalars();
        Map<String, Tensor> tensors = new HashMap<>();
        forEachParam((name, p) -> {
            float[] buf = buffers.get(name);
            if (buf != null) tensors.put(name + ".momentum_buffer", Tensor.of(buf.clone(), p.shape()));
        });
        scalars.put("momentum", Double.toString(momentum));
        scalars.put("dampening", Double.toString(dampening));
        scalars.put("nesterov", Boolean.toString(nesterov));
        return new OptimizerState(TYPE, scalars, tensors);
    }

    @Override
    public void loadState(OptimizerState state) {
        loadGroupScalars(state, TYPE);
        Map<String, float[]> loaded = new HashMap<>();
        forEachParam((name, p) -> {
            String key = name + ".momentum_buffer";
            if (state.tensors().containsKey(key)) loaded.put(name, state.values(key, p.shape()));
        });
        buffers.clear();
        buffers.putAll(loaded);
    }
}
