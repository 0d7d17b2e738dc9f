package dev.vireo.models.vqa;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vl.VlRuns;
import dev.vireo.models.vl.VlScorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Question answering with a Vireo fusion model from a run folder that {@code vireo finetune --task vqa}
 * wrote (a VL config with answer classes, its checkpoint, {@code vocab.txt}, {@value AnswerVocabulary#FILE}):
 * images resized and centre-cropped to the model's size and normalised as in training, the answer
 * the argmax of the classifier, each scored by the sigmoid of its logit.
 */
public final class VlQuestionAnswerer implements VisualQuestionAnswerer {
    private final VlScorer scorer;
    private final AnswerVocabulary answers;
    private final ClipPreprocessor preprocessor;

    public VlQuestionAnswerer(VlScorer scorer, AnswerVocabulary answers) {
        if (scorer.model().config().answerClasses() != answers.size()) {
            throw new IllegalArgumentException("vqa: the model answers " + scorer.model().config().answerClasses() + " classes but "
                    + AnswerVocabulary.FILE + " holds " + answers.size());
        }
        this.scorer = scorer;
        this.answers = answers;
        this.preprocessor = new ClipPreprocessor(ClipPreprocessConfig.openai(scorer.model().config().vision().imageSize()));
    }

    /** Whether {@code dir} is a Vireo VL run folder with an answer list. */
    public static boolean isVqaRun(Path dir) {
        return VlRuns.isVlRun(dir) && Files.isRegularFile(dir.resolve(AnswerVocabulary.FILE));
    }

    public static VlQuestionAnswerer load(Path runDir) throws IOException {
        VlRuns.Loaded loaded = VlRuns.load(runDir);
        if (loaded.model().config().answerClasses() == 0) {
            throw new IllegalArgumentException("model " + runDir + " has no question answering head (train one with vireo finetune --task vqa)");
        }
        return new VlQuestionAnswerer(new VlScorer(loaded.model(), loaded.tokenizer()), AnswerVocabulary.read(runDir.resolve(AnswerVocabulary.FILE)));
    }

    @Override
    public List<Answer> answer(List<RgbImage> images, List<String> questions, int topK, GenerationConfig generation) {
        if (images.size() != questions.size()) {
            throw new IllegalArgumentException("vqa: " + images.size() + " images for " + questions.size() + " questions");
        }
        if (topK < 1) throw new IllegalArgumentException("vqa: top must be at least 1, got " + topK);
        if (images.isEmpty()) return List.of();
        Tensor pixels = preprocessor.toTensor(images); // (N, 3, S, S)
        int n = images.size(), a = answers.size();
        int[] same = new int[n];
        Arrays.setAll(same, i -> i);
        float[] logits = scorer.answerLogits(scorer.encodeImages(pixels), scorer.encodeTexts(questions), same, same); // (N, A)
        List<Answer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int row = i * a;
            Integer[] order = new Integer[a];
            Arrays.setAll(order, j -> j);
            Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -logits[row + j]).thenComparingInt(j -> j));
            List<Scored> top = new ArrayList<>();
            for (int k = 0; k < Math.min(topK, a); k++) {
                top.add(new Scored(answers.answer(order[k]), 1 / (1 + Math.exp(-logits[row + order[k]]))));
            }
            out.add(new Answer(top.getFirst().answer(), top));
        }
        return out;
    }
}
