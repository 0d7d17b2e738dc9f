package dev.vireo.models.clip;

import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.ModuleList;
import dev.vireo.engine.nn.TransformerBlock;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.EncoderLayer;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of pre-LN transformer blocks ({@code encoder.layers.N} in Hugging Face's CLIP), initialised
 * as OpenAI's CLIP does: attention projections N(0, C^-0.5), output projections N(0, C^-0.5·(2L)^-0.5),
 * MLP input N(0, (2C)^-0.5), attention biases zero.
 */
public final class TransformerEncoder extends Module {
    private final ModuleList<TransformerBlock> layers;

    public TransformerEncoder(Rng rng, int width, int layerCount, int heads, int mlpWidth, Activation activation) {
        this.layers = child("layers", new ModuleList<>());
        float attnStd = (float) Math.pow(width, -0.5);
        float projStd = attnStd * (float) Math.pow(2 * layerCount, -0.5);
        float fcStd = (float) Math.pow(2 * width, -0.5);
        for (int i = 0; i < layerCount; i++) {
            TransformerBlock block = new TransformerBlock(rng, width, heads, mlpWidth, activation);
            var attn = block.attention();
            for (var proj : new Linear[] {attn.qProj(), attn.kProj(), attn.vProj()}) {
                ClipInit.normal(rng, proj.weight(), attnStd);
                ClipInit.zero(proj.bias());
            }
            ClipInit.normal(rng, attn.outProj().weight(), projStd);
            ClipInit.zero(attn.outProj().bias());
            ClipInit.normal(rng, block.mlp().fc1().weight(), fcStd);
            ClipInit.normal(rng, block.mlp().fc2().weight(), projStd);
            layers.add(block);
        }
    }

    /** x (B, T, C) → (B, T, C) */
    public Tensor forward(Tensor x, boolean causal) {
        return firstBlocks(x, layers.size(), causal);
    }

    /**
     * x (B, T, C) → (B, C): the output at {@code positions[b]} of each sequence, as
     * {@code forward(x, causal)} has it there; the last block runs its queries, output projection and
     * MLP on those rows alone ({@link TransformerBlock#forwardAt}).
     */
    public Tensor forwardAt(Tensor x, int[] positions, boolean causal) {
        int last = layers.size() - 1;
        if (last < 0) {
            return x.reshape(x.size(0) * x.size(1), x.size(2)).indexSelect(0, TransformerBlock.rowsAt(positions, x.size(0), x.size(1))); // (B, C)
        }
        TransformerBlock.rowsAt(positions, x.size(0), x.size(1)); // the positions checked before any device sees them
        Tensor pooled = onDevice(x, layers.size(), causal, positions); // (B, C): a device runs the whole stack as one plan
        if (pooled != null) return pooled;
        Tensor h = firstBlocks(x, last, causal);                            // (B, T, C)
        Tensor y = layers.get(last).forwardAt(h, positions, causal, null); // (B, 1, C)
        if (h != x && !y.requiresGrad()) BufferPool.recycle(h);
        return y.reshape(y.size(0), y.size(2));                            // (B, C)
    }

    /** The first {@code count} blocks over x (B, T, C) → (B, T, C), handing back each intermediate output no graph holds. */
    private Tensor firstBlocks(Tensor x, int count, boolean causal) {
        Tensor planned = onDevice(x, count, causal, null); // (B, T, C) or null
        if (planned != null) return planned;
        Tensor input = x;
        for (int i = 0; i < count; i++) {
            Tensor y = layers.get(i).forward(x, causal, null); // (B, T, C)
            if (x != input && !y.requiresGrad()) BufferPool.recycle(x); // a previous block's output, held by no graph
            x = y;
        }
        return x;
    }

    /**
     * The first {@code count} blocks over x (B, T, C) as one plan of the compute provider (a device keeps
     * the activations from block to block): (B, T, C), or (B, C) at {@code positions}; null where it runs
     * them op by op (the CPU) or a graph records.
     */
    private Tensor onDevice(Tensor x, int count, boolean causal, int[] positions) {
        if (count == 0 || GradMode.isEnabled() && (x.requiresGrad() || trainableParameters().stream().anyMatch(Tensor::requiresGrad))) {
            return null;
        }
        List<EncoderLayer> stack = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EncoderLayer layer = layers.get(i).layer();
            if (layer == null) return null;
            stack.add(layer);
        }
        return ComputeProvider.get().encoder(stack, x, causal, positions);
    }

    /** An encoder's output (B, T, C) with every block's attention probabilities, in order, each (B, H, T, T). */
    public record Traced(Tensor output, List<Tensor> attention) {}

    /**
     * x (B, T, C) → {@link #forward}'s output (up to rounding, {@link TransformerBlock#forwardWithAttention})
     * and the attention probabilities of every block: what an explanation reads.
     */
    public Traced forwardWithAttention(Tensor x, boolean causal) {
        List<Tensor> attention = new ArrayList<>(layers.size());
        for (TransformerBlock block : layers) {
            var step = block.forwardWithAttention(x, causal);
            attention.add(step.weights()); // (B, H, T, T)
            x = step.output();             // (B, T, C)
        }
        return new Traced(x, attention);
    }

    public int depth() {
        return layers.size();
    }
}
