package dev.vireo.models.vl;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.optim.Ema;
import dev.vireo.engine.optim.OptimizerState;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ALBEF's momentum distillation (Li et al. 2021, section 3.3): a momentum model, the exponential
 * moving average of the model's weights ({@code decay} 0.995), gives soft targets, pseudo-targets
 * that name other plausible texts and images besides the annotated one; the ITC targets become
 * α·softmax(momentum similarities) + (1 − α)·one-hot and MLM's (1 − α)·CE + α·CE against the
 * momentum model's predicted distribution. Queues of the last {@code queue} momentum embeddings of
 * each side widen ITC's negatives beyond the batch. α rises linearly from 0 to its maximum over the
 * first {@code rampSteps} steps. Its whole state (averages, queues) goes into the checkpoint, so a
 * resumed run continues bit-exactly.
 */
public final class MomentumDistillation {
    /** The checkpoint state's type. */
    public static final String TYPE = "albef-momentum";

    private final VlModel momentum;
    private final Map<String, Tensor> targets = new LinkedHashMap<>();
    private final Ema ema;
    private final int capacity;
    private final int width;
    private final float[] imageQueue; // (Q, E), unit rows
    private final float[] textQueue;  // (Q, E), unit rows
    private int filled;
    private int next;
    private final double alpha;
    private final long rampSteps;

    /** The teacher's view of one batch: unit embeddings of each side (B, E), and its image tokens (B, S, Cv) for MLM. */
    public record Teacher(Tensor image, Tensor text, Tensor imageTokens) {}

    public MomentumDistillation(VlModel model, double decay, int queue, double alpha, long rampSteps) {
        if (!model.config().hasUnimodalEmbeddings()) {
            throw new IllegalArgumentException("momentum distillation: early fusion has no embeddings of either side for ITC's soft targets");
        }
        if (queue < 0) throw new IllegalArgumentException("momentum distillation: queue must be zero or more, got " + queue);
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("momentum distillation: alpha must be in [0, 1], got " + alpha);
        this.momentum = new VlModel(model.config(), new Rng(0));
        this.momentum.eval();
        Map<String, Tensor> live = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> live.put(name, p.value()));
        momentum.namedParameters().forEach((name, p) -> targets.put(name, p.value()));
        this.ema = new Ema(live, decay, false);
        ema.copyTo(targets);
        this.capacity = queue;
        this.width = model.config().embedDim();
        this.imageQueue = new float[queue * width];
        this.textQueue = new float[queue * width];
        this.alpha = alpha;
        this.rampSteps = Math.max(1, rampSteps);
        momentum.freeze();
    }

    /** α at {@code step}: ramped up linearly over the first steps (ALBEF: over its first epoch). */
    public double alpha(long step) {
        return alpha * Math.min(1.0, (step + 1) / (double) rampSteps);
    }

    /** The momentum model's embeddings of a batch and its image tokens; no graph. */
    public Teacher teach(Tensor images, int[] ids, Tensor mask, int batch, int length) {
        try (var ignored = GradMode.noGrad()) {
            Tensor tokens = momentum.imageTokens(images);                                                              // (B, S, Cv)
            Tensor image = Norms.l2Normalize(momentum.imageEmbedding(tokens), -1, Norms.NORMALIZE_EPS);                 // (B, E)
            Tensor text = Norms.l2Normalize(momentum.textEmbedding(momentum.textTokens(ids, mask, batch, length)), -1,
                    Norms.NORMALIZE_EPS);                                                                               // (B, E)
            return new Teacher(image, text, tokens);
        }
    }

    /** The momentum model's MLM distribution at chosen positions of a masked caption fused with its image tokens: (N, V), no graph. */
    public Tensor mlmTargets(int[] maskedIds, Tensor mask, int batch, int length, Tensor imageTokens, int[] rows) {
        try (var ignored = GradMode.noGrad()) {
            Tensor fused = momentum.fuse(momentum.textTokens(maskedIds, mask, batch, length), mask, imageTokens); // (B, T, C)
            int l = fused.size(1), c = fused.size(2);
            return momentum.mlmLogits(fused.reshape(batch * l, c).indexSelect(0, rows)).softmax(-1); // (N, V)
        }
    }

    /** This batch's embeddings followed by the queued ones: (B + filled, E), no graph. */
    public Tensor withQueue(Tensor batchEmbeddings, boolean image) {
        int b = batchEmbeddings.size(0);
        float[] out = new float[(b + filled) * width]; // (B + filled, E)
        System.arraycopy(batchEmbeddings.dense().toArray(), 0, out, 0, b * width);
        System.arraycopy(image ? imageQueue : textQueue, 0, out, b * width, filled * width);
        return Tensor.of(out, b + filled, width);
    }

    /** Pushes a batch's momentum embeddings (B, E) into the queues, oldest out first. */
    public void enqueue(Teacher teacher) {
        float[] image = teacher.image().dense().toArray(), text = teacher.text().dense().toArray();
        int b = teacher.image().size(0);
        for (int r = 0; r < b && capacity > 0; r++) {
            System.arraycopy(image, r * width, imageQueue, next * width, width);
            System.arraycopy(text, r * width, textQueue, next * width, width);
            next = (next + 1) % capacity;
            filled = Math.min(capacity, filled + 1);
        }
    }

    /** After each optimiser step: the momentum weights move towards the model's. */
    public void update() {
        ema.update();
        ema.copyTo(targets);
    }

    /** The averages, the queues and where they stand, for a checkpoint. */
    public OptimizerState state() {
        OptimizerState averages = ema.state();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        averages.tensors().forEach((name, t) -> tensors.put("ema." + name, t));
        tensors.put("queue.image", Tensor.of(imageQueue.clone(), Math.max(1, capacity), width));
        tensors.put("queue.text", Tensor.of(textQueue.clone(), Math.max(1, capacity), width));
        Map<String, String> scalars = new LinkedHashMap<>(averages.scalars());
        scalars.put("queue_filled", Integer.toString(filled));
        scalars.put("queue_next", Integer.toString(next));
        return new OptimizerState(TYPE, scalars, tensors);
    }

    /** Restores {@link #state()}. */
    public void loadState(OptimizerState state) {
        if (!state.type().equals(TYPE)) throw new IllegalArgumentException("momentum distillation: cannot load the state of a " + state.type());
        Map<String, Tensor> averages = new LinkedHashMap<>();
        state.tensors().forEach((name, t) -> {
            if (name.startsWith("ema.")) averages.put(name.substring(4), t);
        });
        Map<String, String> scalars = new LinkedHashMap<>(state.scalars());
        ema.loadState(new OptimizerState(Ema.TYPE, scalars, averages));
        ema.copyTo(targets);
        int rows = Math.max(1, capacity);
        System.arraycopy(state.values("queue.image", new int[] {rows, width}), 0, imageQueue, 0, imageQueue.length);
        System.arraycopy(state.values("queue.text", new int[] {rows, width}), 0, textQueue, 0, textQueue.length);
        filled = Integer.parseInt(state.scalar("queue_filled"));
        next = Integer.parseInt(state.scalar("queue_next"));
    }
}
