package dev.vireo.examples.course;

import dev.vireo.examples.lessons.L01Tensors;
import dev.vireo.examples.lessons.L02Autograd;
import dev.vireo.examples.lessons.L03TrainMlp;
import dev.vireo.examples.lessons.L04VisionTransformer;
import dev.vireo.examples.lessons.L05TextEncoder;
import dev.vireo.examples.lessons.L06TrainTinyClip;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.lessons.advanced.A05ImageCaptioning;
import dev.vireo.examples.lessons.advanced.A06VisualQuestionAnswering;
import dev.vireo.examples.lessons.advanced.A07GroundingExplanation;
import dev.vireo.examples.lessons.beginner.B01JointSpace;
import dev.vireo.examples.lessons.beginner.B02FirstContrastive;
import dev.vireo.examples.lessons.beginner.B03Retrieval;
import dev.vireo.examples.lessons.beginner.B04Temperature;
import dev.vireo.examples.lessons.intermediate.I01InfoNce;
import dev.vireo.examples.lessons.intermediate.I02ZeroShot;
import dev.vireo.examples.lessons.intermediate.I03RetrievalMetrics;
import dev.vireo.examples.lessons.intermediate.I04PromptEngineering;
import dev.vireo.examples.lessons.intermediate.I05BatchSize;
import dev.vireo.examples.lessons.intermediate.I06TemperatureSweep;
import dev.vireo.examples.lessons.intermediate.I07PretrainedTextTower;
import dev.vireo.examples.lessons.intermediate.I08ImageSearch;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The course, in order: each lesson's name, level and one-line summary. The single source of the
 * lesson list: the CLI, the test that runs every lesson and the page generator all read it. The
 * core track (L01–L06) lives in {@code dev.vireo.examples.lessons}, the beginner (B) and intermediate (I) contrastive
 * tracks in the {@code beginner} and {@code intermediate} sub-packages.
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
            new Entry("L01Tensors", "beginner", "tensors, views that share memory, broadcasting, matmul, the kernels", L01Tensors::new),
            new Entry("L02Autograd", "beginner", "backward() against finite differences on a neuron and an MLP, then SGD", L02Autograd::new),
            new Entry("L03TrainMlp", "beginner", "an MLP on 3-class spirals with AdamW and a warm-up/cosine schedule", L03TrainMlp::new),
            new Entry("L04VisionTransformer", "intermediate", "patches → tokens → ViT, shapes at every step; a tiny ViT names shapes", L04VisionTransformer::new),
            new Entry("L05TextEncoder", "intermediate", "CLIP BPE, the causal mask, end-token pooling; a text tower reads colours", L05TextEncoder::new),
            new Entry("L06TrainTinyClip", "intermediate", "a tiny CLIP trained on shapes; zero-shot colour and a similarity heat map", L06TrainTinyClip::new),
            new Entry("B01JointSpace", "beginner", "a joint embedding space: unit vectors and cosine similarity", B01JointSpace::new),
            new Entry("B02FirstContrastive", "beginner", "a first contrastive loss: matched pairs pull together", B02FirstContrastive::new),
            new Entry("B03Retrieval", "beginner", "search by nearest neighbours and Recall@K", B03Retrieval::new),
            new Entry("B04Temperature", "beginner", "what the temperature does to softmax and its gradients", B04Temperature::new),
            new Entry("I01InfoNce", "intermediate", "batch-wise symmetric InfoNCE by hand against ClipLoss", I01InfoNce::new),
            new Entry("I02ZeroShot", "intermediate", "zero-shot classification from class texts with the tiny CLIP", I02ZeroShot::new),
            new Entry("I03RetrievalMetrics", "intermediate", "retrieval both ways: Recall@K and MRR", I03RetrievalMetrics::new),
            new Entry("I04PromptEngineering", "intermediate", "prompt templates and ensembles, and what they change", I04PromptEngineering::new),
            new Entry("I05BatchSize", "intermediate", "more negatives per batch: the effect of batch size", I05BatchSize::new),
            new Entry("I06TemperatureSweep", "intermediate", "training at several temperatures: the effect on retrieval", I06TemperatureSweep::new),
            new Entry("I07PretrainedTextTower", "intermediate", "a locked pretrained text tower (LiT) reads class names it never saw",
                    List.of("fashion-mnist", "minilm"), I07PretrainedTextTower::new),
            new Entry("I08ImageSearch", "intermediate", "an image search engine: index pictures in Lucene, search by text and by example", I08ImageSearch::new),
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

    /** A lesson by name, case-insensitive, with or without its number prefix ("L01Tensors", "tensors"). */
    public static Optional<Entry> find(String name) {
        String n = name.toLowerCase();
        return ALL.stream().filter(e -> e.name().toLowerCase().equals(n) || e.name().substring(3).toLowerCase().equals(n)
                || e.name().substring(0, 3).toLowerCase().equals(n)).findFirst();
    }
}
