package dev.vireo.examples.course;

import dev.vireo.examples.lessons.beginner.B01Tensors;
import dev.vireo.examples.lessons.beginner.B02Autograd;
import dev.vireo.examples.lessons.beginner.B03TrainMlp;
import dev.vireo.examples.lessons.intermediate.I01VisionTransformer;
import dev.vireo.examples.lessons.intermediate.I02TextEncoder;
import dev.vireo.examples.lessons.intermediate.I03TrainTinyClip;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.lessons.advanced.A01CrossModalAttention;
import dev.vireo.examples.lessons.advanced.A02FusionStrategies;
import dev.vireo.examples.lessons.advanced.A03PretrainingObjectives;
import dev.vireo.examples.lessons.advanced.A04MomentumDistillation;
import dev.vireo.examples.lessons.advanced.A05ImageCaptioning;
import dev.vireo.examples.lessons.advanced.A06VisualQuestionAnswering;
import dev.vireo.examples.lessons.advanced.A07GroundingExplanation;
import dev.vireo.examples.lessons.beginner.B04JointSpace;
import dev.vireo.examples.lessons.beginner.B05FirstContrastive;
import dev.vireo.examples.lessons.beginner.B06Retrieval;
import dev.vireo.examples.lessons.beginner.B07Temperature;
import dev.vireo.examples.lessons.intermediate.I04InfoNce;
import dev.vireo.examples.lessons.intermediate.I05ZeroShot;
import dev.vireo.examples.lessons.intermediate.I06RetrievalMetrics;
import dev.vireo.examples.lessons.intermediate.I07PromptEngineering;
import dev.vireo.examples.lessons.intermediate.I08BatchSize;
import dev.vireo.examples.lessons.intermediate.I09TemperatureSweep;
import dev.vireo.examples.lessons.intermediate.I10PretrainedTextTower;
import dev.vireo.examples.lessons.intermediate.I11ImageSearch;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The course, in order: each lesson's name, level and one-line summary. The single source of the
 * lesson list: the CLI, the test that runs every lesson and the page generator all read it. Each
 * level's lessons live in its package ({@code beginner}, {@code intermediate}, {@code advanced}) and are
 * numbered within it: B01–B07, I01–I11, A01–.
 */
public final class Lessons {

    /** One entry of the course; {@code needs} names the fetched data it reads ({@code bin/vireo data fetch NAME}), if any. */
    public record Entry(String name, String level, String summary, List<String> needs, Supplier<Lesson> factory) {
        public Entry {
            needs = List.copyOf(needs);
        }

        /** A lesson on synthetic or bundled data. */
        public Entry(String name, String level, String summary, Supplier<Lesson> factory) {
            this(name, level, summary, List.of(), factory);
        }
    }

    private static final List<Entry> ALL = List.of(
            new Entry("B01Tensors", "beginner", "tensors, views that share memory, broadcasting, matmul, the kernels", B01Tensors::new),
            new Entry("B02Autograd", "beginner", "backward() against finite differences on a neuron and an MLP, then SGD", B02Autograd::new),
            new Entry("B03TrainMlp", "beginner", "an MLP on 3-class spirals with AdamW and a warm-up/cosine schedule", B03TrainMlp::new),
            new Entry("B04JointSpace", "beginner", "a joint embedding space: unit vectors and cosine similarity", B04JointSpace::new),
            new Entry("B05FirstContrastive", "beginner", "a first contrastive loss: matched pairs pull together", B05FirstContrastive::new),
            new Entry("B06Retrieval", "beginner", "search by nearest neighbours and Recall@K", B06Retrieval::new),
            new Entry("B07Temperature", "beginner", "what the temperature does to softmax and its gradients", B07Temperature::new),
            new Entry("I01VisionTransformer", "intermediate", "patches → tokens → ViT, shapes at every step; a tiny ViT names shapes", I01VisionTransformer::new),
            new Entry("I02TextEncoder", "intermediate", "CLIP BPE, the causal mask, end-token pooling; a text tower reads colours", I02TextEncoder::new),
            new Entry("I03TrainTinyClip", "intermediate", "a tiny CLIP trained on shapes; zero-shot colour and a similarity heat map", I03TrainTinyClip::new),
            new Entry("I04InfoNce", "intermediate", "batch-wise symmetric InfoNCE by hand against ClipLoss", I04InfoNce::new),
            new Entry("I05ZeroShot", "intermediate", "zero-shot classification from class texts with the tiny CLIP", I05ZeroShot::new),
            new Entry("I06RetrievalMetrics", "intermediate", "retrieval both ways: Recall@K and MRR", I06RetrievalMetrics::new),
            new Entry("I07PromptEngineering", "intermediate", "prompt templates and ensembles, and what they change", I07PromptEngineering::new),
            new Entry("I08BatchSize", "intermediate", "more negatives per batch: the effect of batch size", I08BatchSize::new),
            new Entry("I09TemperatureSweep", "intermediate", "training at several temperatures: the effect on retrieval", I09TemperatureSweep::new),
            new Entry("I10PretrainedTextTower", "intermediate", "a locked pretrained text tower (LiT) reads class names it never saw",
                    List.of("fashion-mnist", "minilm"), I10PretrainedTextTower::new),
            new Entry("I11ImageSearch", "intermediate", "an image search engine: index pictures in Lucene, search by text and by example", I11ImageSearch::new),
            new Entry("A01CrossModalAttention", "advanced", "cross-modal attention by hand against the fused kernel; where each word looks", A01CrossModalAttention::new),
            new Entry("A02FusionStrategies", "advanced", "early, mid and late fusion on one task: accuracy and the cost of a pair", A02FusionStrategies::new),
            new Entry("A03PretrainingObjectives", "advanced", "ITC, ITM with hard negatives, MLM (80/10/10), MRM: what each teaches, probed", A03PretrainingObjectives::new),
            new Entry("A04MomentumDistillation", "advanced", "momentum distillation: the EMA teacher, the queues, soft targets on noisy captions", A04MomentumDistillation::new),
            new Entry("A05ImageCaptioning", "advanced", "a tiny captioner: greedy, beam and nucleus sampling on the same pictures; BLEU and CIDEr-D by hand",
                    A05ImageCaptioning::new),
            new Entry("A06VisualQuestionAnswering", "advanced", "VQA accuracy and its normalisation on examples; a classifier head against an answer decoder",
                    A06VisualQuestionAnswering::new),
            new Entry("A07GroundingExplanation", "advanced", "attention, rollout and Grad-CAM heat maps; from a heat map to a box; IoU and the pointing game",
                    A07GroundingExplanation::new));

    private Lessons() {}

    public static List<Entry> all() {
        return ALL;
    }

    /** A lesson by name, case-insensitive, with or without its number prefix ("B01Tensors", "tensors"). */
    public static Optional<Entry> find(String name) {
        String n = name.toLowerCase();
        return ALL.stream().filter(e -> e.name().toLowerCase().equals(n) || e.name().substring(3).toLowerCase().equals(n)
                || e.name().substring(0, 3).toLowerCase().equals(n)).findFirst();
    }
}
