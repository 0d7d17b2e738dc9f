package dev.vireo.engine.tornadovm;

import dev.vireo.engine.tensor.EncoderLayer;
import dev.vireo.engine.tensor.Tensor;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A stack of pre-LN encoder layers as one task graph, GPULlama3's shape: the input copied in once,
 * nine tasks a layer (ln1, q, k, v, attention, out + residual, ln2, fc1 + activation, fc2 + residual)
 * on activations that never leave the device, two hidden-state arrays used in turn from layer to
 * layer, the weights resident, and only the last layer's output copied back.
 */
final class DeviceEncoder {
    /** Layers per plan: nine tasks each, within TornadoVM's 256 tasks a graph (a deeper stack runs as several plans). */
    static final int MAX_LAYERS = 24;

    private DeviceEncoder() {}

    /**
     * The plan for {@code layers} over (batch, tokens, C) inputs; {@code resident} gives each weight's
     * device copy (all registered). Input 0 of the plan is x (B·T·C); where {@code pooled}, input 1 holds
     * one position per sequence and the plan gives back only those rows (B·C), else every row (B·T·C).
     */
    static DevicePlan plan(List<EncoderLayer> layers, int batch, int tokens, boolean causal, boolean pooled, Function<Tensor, FloatArray> resident,
                           FloatArray none, boolean tiledGemm) {
        int c = layers.getFirst().width(), rows = batch * tokens, hiddenMax = 0;
        for (EncoderLayer l : layers) hiddenMax = Math.max(hiddenMax, l.hidden());
        FloatArray x0 = new FloatArray(rows * c), x1 = new FloatArray(rows * c); // the hidden state, layer by layer in turn
        FloatArray n = new FloatArray(rows * c), h = new FloatArray(rows * c);   // a layer norm's output; x + attention
        FloatArray q = new FloatArray(rows * c), k = new FloatArray(rows * c), v = new FloatArray(rows * c), att = new FloatArray(rows * c);
        FloatArray f = new FloatArray(rows * hiddenMax);                           // the MLP's hidden activations
        FloatArray last = layers.size() % 2 == 0 ? x0 : x1;
        IntArray positions = new IntArray(batch);
        FloatArray output = pooled ? new FloatArray(batch * c) : last; // (B, C) or (B, T, C)
        int causalFlag = causal ? 1 : 0;
        Object[] inputs = pooled ? new Object[] {x0, positions} : new Object[] {x0};
        return DevicePlan.of("encoder", tiledGemm, collect(layers, resident), inputs, output, g -> {
            FloatArray in = x0, out = x1;
            for (int i = 0; i < layers.size(); i++) {
                EncoderLayer l = layers.get(i);
                int hidden = l.hidden(), heads = l.heads(), d = c / heads, code = TornadoKernels.code(l.activation());
                float scale = (float) (1.0 / Math.sqrt(d)), eps1 = l.norm1Eps(), eps2 = l.norm2Eps();
                FloatArray[] w = new FloatArray[EncoderLayer.TENSORS];
                Tensor[] ts = l.tensors();
                for (int j = 0; j < w.length; j++) w[j] = resident.apply(ts[j]);
                String p = "l" + i + ".";
                FloatArray xin = in, xout = out;
                g.graph().task(p + "ln1", TornadoKernels::layerNorm, xin, w[0], w[1], n, rows, c, eps1);
                g.linear(p + "q", n, w[2], w[3], none, q, rows, c, c, 1, 0, TornadoKernels.NONE)
                        .linear(p + "k", n, w[4], w[5], none, k, rows, c, c, 1, 0, TornadoKernels.NONE)
                        .linear(p + "v", n, w[6], w[7], none, v, rows, c, c, 1, 0, TornadoKernels.NONE);
                g.graph().task(p + "attention", TornadoKernels::attention, q, k, v, none, att, batch, tokens, tokens, heads, d, d, causalFlag, 0, scale);
                g.linear(p + "out", att, w[8], w[9], xin, h, rows, c, c, 1, 1, TornadoKernels.NONE);
                g.graph().task(p + "ln2", TornadoKernels::layerNorm, h, w[10], w[11], n, rows, c, eps2);
                g.linear(p + "fc1", n, w[12], w[13], none, f, rows, c, hidden, 1, 0, code)
                        .linear(p + "fc2", f, w[14], w[15], h, xout, rows, hidden, c, 1, 1, TornadoKernels.NONE);
                in = xout;
                out = xin;
            }
            if (pooled) g.graph().task("pool", TornadoKernels::gatherRows, last, positions, output, batch, tokens, c);
        });
    }

    /** The device copies of every layer's weights, each once, for the plan's first-execution transfer. */
    private static FloatArray[] collect(List<EncoderLayer> layers, Function<Tensor, FloatArray> resident) {
        List<FloatArray> into = new ArrayList<>();
        Set<FloatArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (EncoderLayer l : layers) {
            for (Tensor t : l.tensors()) {
                FloatArray a = resident.apply(t);
                if (seen.add(a)) into.add(a);
            }
        }
        return into.toArray(FloatArray[]::new);
    }
}
