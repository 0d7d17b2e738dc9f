package dev.vireo.engine.tornadovm;

import dev.vireo.engine.autograd.CpuProvider;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.row.BinaryOp;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.EncoderLayer;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Storage;
import dev.vireo.engine.tensor.Tensor;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The TornadoVM backend's ops, made by {@link TornadoProvider} once the runtime is known to be there
 * (every TornadoVM class this touches would fail to load without it). Registered weights are copied
 * to the device once and stay there; each op runs as a task graph built once per shape and reused;
 * a transformer stack runs as one plan ({@link DeviceEncoder}); anything it does not run (a broadcast
 * it does not know, a kernel TornadoVM failed to compile) goes to the CPU provider, counted and
 * logged once per op ({@link DeviceStats}). Calls are serialised: one device, one queue.
 */
final class DeviceOps implements ComputeProvider {
    /** Linear layers as {@link TornadoKernels#linearTiled} (a GPU's shape of GEMM) rather than one work-item per output. */
    private final boolean tiledGemm;

    private static final int PLANS = 512;
    /**
     * Stack plans kept: TornadoVM gives each task graph its own device copy of the weights it reads (a
     * ViT-B/32 stack's are 340 MB), so a model run at many shapes holds one copy per shape kept here.
     */
    private static final int ENCODER_PLANS = 4;

    private final CpuProvider cpu = new CpuProvider(KernelProvider.get());
    private final Map<Tensor, FloatArray> resident = new IdentityHashMap<>();
    /** Registered weights of more than two axes by storage: a layer multiplies by a 2-D view of one. */
    private final Map<Storage, Tensor> residentByStorage = new IdentityHashMap<>();
    private final Map<Integer, FloatArray[]> unitAffine = new java.util.HashMap<>();
    private final PlanCache plans = new PlanCache(PLANS);
    private final PlanCache encoderPlans = new PlanCache(ENCODER_PLANS);
    private final DeviceStats stats = new DeviceStats();
    private final FloatArray none = new FloatArray(1); // stands in for an absent bias, residual or mask

    /** @param tiledGemm linear layers as tiled GEMMs (work-groups staging tiles in local memory), as a GPU wants them */
    DeviceOps(boolean tiledGemm) {
        this.tiledGemm = tiledGemm;
    }

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public KernelProvider kernels() {
        return cpu.kernels();
    }

    /** What ran where so far: ops on the device, ops handed to the CPU and why, bytes moved. */
    DeviceStats stats() {
        return stats;
    }

    @Override
    public synchronized void register(Iterable<Tensor> weights) {
        cpu.register(weights);
        for (Tensor w : weights) {
            if (resident.containsKey(w)) continue;
            Tensor d = w.dense();
            resident.put(w, DevicePlan.copyOf(d.array(), d.offset(), w.numel()));
            if (w.rank() > 2 && w.isContiguous()) residentByStorage.put(w.storage(), w);
            stats.uploaded(w.numel());
        }
    }

    @Override
    public synchronized void release(Iterable<Tensor> weights) {
        cpu.release(weights);
        for (Tensor w : weights) {
            FloatArray a = resident.remove(w);
            if (a != null) {
                plans.evictMentioning(a);
                encoderPlans.evictMentioning(a);
            }
            if (w.rank() > 2) residentByStorage.remove(w.storage(), w);
        }
    }

    /** The device copy of a registered weight (or of a 2-D view of the whole of one), else null. */
    private FloatArray residentCopy(Tensor w) {
        FloatArray a = resident.get(w);
        if (a != null) return a;
        Tensor whole = residentByStorage.get(w.storage());
        return whole != null && w.isContiguous() && w.offset() == whole.offset() && w.numel() == whole.numel() ? resident.get(whole) : null;
    }

    @Override
    public synchronized Tensor linear(Tensor x, Tensor weight, Tensor bias, UnaryOp activation, Tensor residual) {
        int[] xs = x.shape(), ws = weight.shape();
        int code = activation == null ? TornadoKernels.NONE : TornadoKernels.code(activation);
        if (ws.length != 2 || xs.length < 1 || xs[xs.length - 1] != ws[1] || ws[1] == 0
                || (bias != null && (bias.rank() != 1 || bias.size(0) != ws[0]))) {
            return cpu.linear(x, weight, bias, activation, residual); // the CPU gives the shape error, or handles in = 0
        }
        int in = ws[1], out = ws[0], rows = x.numel() / in;
        int[] ys = Arrays.copyOf(xs, xs.length);
        ys[ys.length - 1] = out;
        if (residual != null && !Shapes.equal(residual.shape(), ys)) return cpu.linear(x, weight, bias, activation, residual); // its own error
        FloatArray w = residentCopy(weight), b = bias == null ? none : residentCopy(bias);
        boolean streamed = w == null || b == null;
        int hasBias = bias == null ? 0 : 1, hasResidual = residual == null ? 0 : 1;
        float[] y = BufferPool.take(rows * out); // (..., out)
        return device("linear", () -> {
            Object[] keyResident = streamed ? new Object[0] : new Object[] {w, b};
            DevicePlan plan = plans.get(new PlanCache.Key(streamed ? "linear-streamed" : "linear", keyResident,
                    new int[] {rows, in, out, hasBias, hasResidual, code}), () -> {
                FloatArray xa = new FloatArray(rows * in), ra = hasResidual == 1 ? new FloatArray(rows * out) : none, ya = new FloatArray(rows * out);
                FloatArray wa = streamed ? new FloatArray(out * in) : w, ba = streamed ? new FloatArray(out) : b;
                FloatArray[] resident = streamed ? new FloatArray[0] : new FloatArray[] {wa, ba};
                FloatArray[] inputs = streamed ? new FloatArray[] {xa, ra, wa, ba} : new FloatArray[] {xa, ra};
                return DevicePlan.of("linear", tiledGemm, resident, inputs, ya,
                        g -> g.linear("linear", xa, wa, ba, ra, ya, rows, in, out, hasBias, hasResidual, code));
            });
            fill(plan.input(0), x, rows * in);
            if (hasResidual == 1) fill(plan.input(1), residual, rows * out);
            if (streamed) {
                fill(plan.input(2), weight, out * in);
                if (hasBias == 1) fill(plan.input(3), bias, out);
            }
            plan.run(y, 0);
            stats.moved(rows * in + hasResidual * rows * out + (streamed ? out * in + out : 0), rows * out);
            return Tensor.of(y, ys);
        }, () -> cpu.linear(x, weight, bias, activation, residual));
    }

    @Override
    public synchronized Tensor matmul(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        if (as.length < 2 || bs.length < 2) return stats.fallback("matmul", "rank below 2", () -> cpu.matmul(a, b));
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int[] aBatch = Arrays.copyOf(as, as.length - 2), bBatch = Arrays.copyOf(bs, bs.length - 2);
        if (bs[bs.length - 2] != k || !Shapes.equal(aBatch, bBatch) || k == 0) {
            return stats.fallback("matmul", "broadcast batch axes", () -> cpu.matmul(a, b));
        }
        int batch = Shapes.numel(aBatch);
        int[] cs = Arrays.copyOf(as, as.length);
        cs[cs.length - 1] = n;
        float[] c = BufferPool.take(batch * m * n); // (..., M, N)
        return device("matmul", () -> {
            DevicePlan plan = plans.get(new PlanCache.Key("matmul", new Object[0], new int[] {batch, m, n, k}), () -> {
                FloatArray aa = new FloatArray(batch * m * k), ba = new FloatArray(batch * k * n), ca = new FloatArray(batch * m * n);
                return DevicePlan.of("matmul", tiledGemm, new FloatArray[0], new FloatArray[] {aa, ba}, ca,
                        g -> g.graph().task("matmul", TornadoKernels::matmul, aa, ba, ca, batch, m, n, k));
            });
            fill(plan.input(0), a, batch * m * k);
            fill(plan.input(1), b, batch * k * n);
            plan.run(c, 0);
            stats.moved(batch * (m * k + k * n), batch * m * n);
            return Tensor.of(c, cs);
        }, () -> cpu.matmul(a, b));
    }

    @Override
    public synchronized Tensor unary(UnaryOp op, Tensor x) {
        int code = TornadoKernels.code(op), n = x.numel();
        if (n == 0) return cpu.unary(op, x);
        float[] y = BufferPool.take(n); // (x's shape)
        return device("unary", () -> {
            DevicePlan plan = plans.get(new PlanCache.Key("unary", new Object[0], new int[] {n, code}), () -> {
                FloatArray xa = new FloatArray(n), ya = new FloatArray(n);
                return DevicePlan.of("unary", tiledGemm, new FloatArray[0], new FloatArray[] {xa}, ya, g -> g.graph().task("unary", TornadoKernels::unary, xa, ya, n, code));
            });
            fill(plan.input(0), x, n);
            plan.run(y, 0);
            stats.moved(n, n);
            return Tensor.of(y, x.shape());
        }, () -> cpu.unary(op, x));
    }

    @Override
    public synchronized Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int n = a.numel(), period = b.numel();
        int[] as = a.shape(), bs = b.shape();
        boolean fits = bs.length <= as.length; // b broadcast into a's shape, never a into b's
        boolean suffix = fits && Shapes.equal(bs, Arrays.copyOfRange(as, as.length - bs.length, as.length));
        if (n == 0 || period == 0 || !fits || !(suffix || period == 1)) {
            return stats.fallback("binary", "broadcast of " + Shapes.str(as) + " with " + Shapes.str(bs), () -> cpu.binary(op, a, b));
        }
        int opCode = op.ordinal();
        float[] y = BufferPool.take(n); // (a's shape)
        return device("binary", () -> {
            DevicePlan plan = plans.get(new PlanCache.Key("binary", new Object[0], new int[] {n, period, opCode}), () -> {
                FloatArray aa = new FloatArray(n), ba = new FloatArray(period), ya = new FloatArray(n);
                return DevicePlan.of("binary", tiledGemm, new FloatArray[0], new FloatArray[] {aa, ba}, ya,
                        g -> g.graph().task("binary", TornadoKernels::binary, aa, ba, ya, n, period, opCode));
            });
            fill(plan.input(0), a, n);
            fill(plan.input(1), b, period);
            plan.run(y, 0);
            stats.moved(n + period, n);
            return Tensor.of(y, as);
        }, () -> cpu.binary(op, a, b));
    }

    @Override
    public synchronized Tensor softmax(Tensor x) {
        return rows("softmax", x, 0, () -> cpu.softmax(x));
    }

    @Override
    public synchronized Tensor logSoftmax(Tensor x) {
        return rows("logSoftmax", x, 1, () -> cpu.logSoftmax(x));
    }

    private Tensor rows(String name, Tensor x, int logarithm, Supplier<Tensor> onCpu) {
        int[] xs = x.shape();
        int n = xs.length == 0 ? 1 : xs[xs.length - 1], total = x.numel();
        if (xs.length == 0 || n == 0 || total == 0) return stats.fallback(name, "empty or scalar", onCpu);
        int rows = total / n;
        float[] y = BufferPool.take(total); // (x's shape)
        return device(name, () -> {
            DevicePlan plan = plans.get(new PlanCache.Key("softmax", new Object[0], new int[] {rows, n, logarithm}), () -> {
                FloatArray xa = new FloatArray(total), ya = new FloatArray(total);
                return DevicePlan.of(name, tiledGemm, new FloatArray[0], new FloatArray[] {xa}, ya,
                        g -> g.graph().task("softmax", TornadoKernels::softmax, xa, ya, rows, n, logarithm));
            });
            fill(plan.input(0), x, total);
            plan.run(y, 0);
            stats.moved(total, total);
            return Tensor.of(y, xs);
        }, onCpu);
    }

    @Override
    public synchronized Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int[] xs = x.shape();
        int n = xs.length == 0 ? 0 : xs[xs.length - 1], total = x.numel();
        if (n == 0 || total == 0) return cpu.layerNorm(x, gamma, beta, eps); // nothing to compute, nothing to copy
        FloatArray[] unit = unitAffine.computeIfAbsent(n, width -> {
            FloatArray ones = new FloatArray(width), zeros = new FloatArray(width);
            ones.init(1f);
            zeros.init(0f);
            return new FloatArray[] {ones, zeros};
        });
        FloatArray g = gamma == null ? unit[0] : residentCopy(gamma), b = beta == null ? unit[1] : residentCopy(beta);
        boolean streamed = g == null || b == null; // γ or β not registered: copied in with x on every call
        int rows = total / n;
        float[] y = BufferPool.take(total); // (x's shape)
        return device("layerNorm", () -> {
            DevicePlan plan = plans.get(new PlanCache.Key(streamed ? "layerNorm-streamed" : "layerNorm", streamed ? new Object[0] : new Object[] {g, b},
                    new int[] {rows, n, Float.floatToIntBits(eps)}), () -> {
                FloatArray xa = new FloatArray(total), ya = new FloatArray(total);
                FloatArray ga = streamed ? new FloatArray(n) : g, ba = streamed ? new FloatArray(n) : b;
                return DevicePlan.of("layerNorm", tiledGemm, streamed ? new FloatArray[0] : new FloatArray[] {g, b},
                        streamed ? new FloatArray[] {xa, ga, ba} : new FloatArray[] {xa}, ya,
                        t -> t.graph().task("layerNorm", TornadoKernels::layerNorm, xa, ga, ba, ya, rows, n, eps));
            });
            fill(plan.input(0), x, total);
            if (streamed) {
                if (gamma == null) DevicePlan.fill(plan.input(1), ones(n), 0, n);
                else fill(plan.input(1), gamma, n);
                if (beta == null) DevicePlan.fill(plan.input(2), new float[n], 0, n);
                else fill(plan.input(2), beta, n);
            }
            plan.run(y, 0);
            stats.moved(total + (streamed ? 2L * n : 0), total);
            return Tensor.of(y, xs);
        }, () -> cpu.layerNorm(x, gamma, beta, eps));
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }

    @Override
    public synchronized Tensor attention(Tensor q, Tensor k, Tensor v, int heads, boolean causal, Tensor paddingMask, float scale) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 3 || ks.length != 3 || vs.length != 3 || heads < 1 || qs[2] % heads != 0 || vs[2] % heads != 0
                || ks[2] != qs[2] || qs[0] != ks[0] || vs[0] != ks[0] || vs[1] != ks[1] || qs[1] == 0 || ks[1] == 0
                || (paddingMask != null && !Shapes.equal(paddingMask.shape(), new int[] {ks[0], ks[1]}))) {
            return cpu.attention(q, k, v, heads, causal, paddingMask, scale); // the CPU gives the shape error, or handles the empty case
        }
        int batch = qs[0], tq = qs[1], tk = ks[1], d = qs[2] / heads, dv = vs[2] / heads;
        int causalFlag = causal ? 1 : 0, hasMask = paddingMask == null ? 0 : 1;
        float[] o = BufferPool.take(batch * tq * heads * dv); // (B, Tq, H·Dv)
        return device("attention", () -> {
            DevicePlan plan = plans.get(new PlanCache.Key("attention", new Object[0],
                    new int[] {batch, tq, tk, heads, d, dv, causalFlag, hasMask, Float.floatToIntBits(scale)}), () -> {
                FloatArray qa = new FloatArray(batch * tq * heads * d), ka = new FloatArray(batch * tk * heads * d),
                        va = new FloatArray(batch * tk * heads * dv), ma = hasMask == 1 ? new FloatArray(batch * tk) : none,
                        oa = new FloatArray(batch * tq * heads * dv);
                return DevicePlan.of("attention", tiledGemm, new FloatArray[0], new FloatArray[] {qa, ka, va, ma}, oa,
                        g -> g.graph().task("attention", TornadoKernels::attention, qa, ka, va, ma, oa, batch, tq, tk, heads, d, dv, causalFlag, hasMask, scale));
            });
            fill(plan.input(0), q, q.numel());
            fill(plan.input(1), k, k.numel());
            fill(plan.input(2), v, v.numel());
            if (hasMask == 1) fill(plan.input(3), paddingMask, batch * tk);
            plan.run(o, 0);
            stats.moved(q.numel() + k.numel() + v.numel() + hasMask * batch * tk, o.length);
            return Tensor.of(o, batch, tq, heads * dv);
        }, () -> cpu.attention(q, k, v, heads, causal, paddingMask, scale));
    }

    @Override
    public synchronized Tensor encoder(List<EncoderLayer> layers, Tensor x, boolean causal, int[] positions) {
        int[] xs = x.shape();
        if (layers.isEmpty() || xs.length != 3 || xs[2] != layers.getFirst().width() || xs[0] == 0 || xs[1] == 0) return null;
        if (positions != null && positions.length != xs[0]) return null;
        List<FloatArray> keyArrays = new ArrayList<>();
        for (EncoderLayer l : layers) {
            if (l.width() != xs[2]) return null;
            for (Tensor t : l.tensors()) {
                FloatArray a = residentCopy(t);
                if (a == null) return null; // not registered: op by op (each op still on the device)
                keyArrays.add(a);
            }
        }
        int batch = xs[0], tokens = xs[1], c = xs[2], n = batch * tokens * c;
        return device("encoder", () -> {
            Tensor h = x;
            for (int from = 0; from < layers.size(); from += DeviceEncoder.MAX_LAYERS) { // one plan per 24 layers
                List<EncoderLayer> part = layers.subList(from, Math.min(layers.size(), from + DeviceEncoder.MAX_LAYERS));
                boolean pooled = positions != null && from + part.size() == layers.size(); // the last plan gives back the pooled rows
                Object[] key = keyArrays.subList(from * EncoderLayer.TENSORS, (from + part.size()) * EncoderLayer.TENSORS).toArray();
                DevicePlan plan = encoderPlans.get(new PlanCache.Key("encoder", key, new int[] {batch, tokens, causal ? 1 : 0, part.size(), pooled ? 1 : 0}),
                        () -> DeviceEncoder.plan(part, batch, tokens, causal, pooled, this::residentCopy, none, tiledGemm));
                fill(plan.input(0), h, n);
                if (pooled) for (int b = 0; b < batch; b++) plan.indices(1).set(b, positions[b]);
                int outN = pooled ? batch * c : n;
                float[] y = BufferPool.take(outN); // (B, C) or (B, T, C)
                plan.run(y, 0);
                stats.moved(n + (pooled ? batch : 0), outN);
                h = pooled ? Tensor.of(y, batch, c) : Tensor.of(y, xs);
            }
            return h;
        }, () -> null); // a plan TornadoVM could not build: the stack runs op by op instead
    }

    /** Frees every plan and resident weight (tests, and an application shutting the device down). */
    synchronized void clear() {
        plans.clear();
        encoderPlans.clear();
        resident.clear();
        residentByStorage.clear();
    }

    /** Runs {@code onDevice}; when TornadoVM fails (a kernel it cannot compile, a driver error) counts it and runs {@code onCpu}. */
    private Tensor device(String op, Supplier<Tensor> onDevice, Supplier<Tensor> onCpu) {
        try {
            Tensor t = onDevice.get();
            stats.ran(op);
            return t;
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme && !(e instanceof StackOverflowError)) throw vme;
            return stats.fallback(op, "TornadoVM failed: " + oneLine(e), onCpu);
        }
    }

    private static void fill(FloatArray dst, Tensor src, int n) {
        Tensor d = src.dense();
        DevicePlan.fill(dst, d.array(), d.offset(), n);
    }

    private static String oneLine(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null) c = c.getCause();
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
