package dev.vireo.models.train;

import dev.vireo.models.data.shapes.QuestionAnswer;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;

import java.util.List;

/**
 * The shapes world's questions as question answering data: each scene's questions (count, colour,
 * size, position, shape, exists, relation) with the generator's one-word answer, scored 1 (every
 * annotator would agree).
 */
public final class ShapesQuestions implements QuestionAnswerData {
    private final ShapesData images;

    public ShapesQuestions(ShapesData images) {
        this.images = images;
    }

    /** {@code count} scenes of the training (seed 1) or held-out (seed 2) world. */
    public static ShapesQuestions split(boolean train, int count, ShapesWorld.Config config) {
        return new ShapesQuestions(ShapesData.split(train, count, config));
    }

    public List<ShapeScene> scenes() {
        return images.scenes();
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int imageSize() {
        return images.imageSize();
    }

    @Override
    public void image(int index, float[] dst, int off) {
        images.image(index, dst, off);
    }

    @Override
    public List<String> captions(int index) {
        return images.scenes().get(index).questions().stream().map(QuestionAnswer::question).toList();
    }

    @Override
    public List<ScoredAnswer> answers(int image, int question) {
        return List.of(new ScoredAnswer(qa(image, question).answer(), 1f));
    }

    @Override
    public String questionType(int image, int question) {
        return qa(image, question).type();
    }

    private QuestionAnswer qa(int image, int question) {
        return images.scenes().get(image).questions().get(question);
    }
}
