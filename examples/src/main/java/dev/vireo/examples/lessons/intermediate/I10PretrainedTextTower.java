package dev.vireo.examples.lessons.intermediate;

import dev.vireo.examples.data.DataSpecs;
import dev.vireo.examples.data.FetchedDatasets;
import dev.vireo.examples.demo.FashionPrompts;
import dev.vireo.examples.demo.LitDemo;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.models.SentenceEncoder;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.LitConfig;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.eval.LitEvaluator;
import dev.vireo.models.lit.LitModel;
import dev.vireo.models.lit.LockedTextTower;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.LabelledImageData;
import dev.vireo.models.train.LitTrainer;
import dev.vireo.models.train.TrainConfig;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Intermediate 10: a pretrained text tower. A text tower trained from scratch on captions knows only
 * the words in them; a pretrained one (MiniLM, trained on a billion sentence pairs) already places
 * "running shoes" near "a sneaker". Locking it (LiT, Zhai et al. 2022) and training only the image
 * tower to meet it carries that language over for free. We train both on a small Fashion-MNIST
 * subset and test zero-shot with class names neither saw. Check: the locked tower scores at least
 * 20% with the unseen names (chance is 10%) and at least twice the scratch tower. Needs
 * {@code bin/vireo data fetch fashion-mnist} and {@code bin/vireo data fetch minilm}.
 */
public final class I10PretrainedTextTower implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();

        // region setup
        // Step 1: a few thousand Fashion-MNIST images, captioned "a photo of a sneaker", "a picture of a bag", ...
        Path dataDir = DataSpecs.defaultDataDir();
        LitConfig lit = LitConfig.create("lit-minilm");
        int side = lit.vision().imageSize(), steps = ctx.quick() ? 60 : 150;
        LabelledImageData train = new LabelledImageData(FetchedDatasets.fashionMnist(dataDir, true).subList(0, 4000),
                FashionPrompts.CLASS_NAMES, FashionPrompts.TEMPLATES, side);
        LabelledImageData test = new LabelledImageData(FetchedDatasets.fashionMnist(dataDir, false).subList(0, 2000),
                FashionPrompts.CLASS_NAMES, FashionPrompts.TEMPLATES, side);
        TrainConfig cfg = TrainConfig.builder().steps(steps).batch(128).lr(2e-3).warmup(steps / 10).checkpointEvery(0)
                .outDir(ctx.file("I10_lit")).build();
        // endregion setup

        // region lit
        // Step 2: LiT. MiniLM is locked: its vectors of the 80 distinct captions are computed once and
        // cached; only the image tower and the two projections learn.
        double[] litScores;
        try (SentenceEncoder minilm = FetchedDatasets.minilm(dataDir)) {
            LockedTextTower tower = new LockedTextTower(minilm::encode, minilm.dimension());
            LitModel model = LitTrainer.train(lit, tower, train, cfg).model();
            LitEvaluator eval = new LitEvaluator(model, tower);
            float[] images = eval.imageEmbeddings(test); // (N, E)
            litScores = new double[] {eval.zeroShot(images, test.size(), FashionPrompts.seen(), test.labels())[0],
                    eval.zeroShot(images, test.size(), FashionPrompts.unseen(), test.labels())[0]};
        }
        // endregion lit

        // region scratch
        // Step 3: the same image tower with a small CLIP text tower from scratch, same captions, same steps.
        ClipModel clip = ClipTrainer.train(LitDemo.scratchBaseline(lit), train, cfg.toBuilder().outDir(ctx.file("I10_scratch")).build()).model();
        ClipEvaluator clipEval = new ClipEvaluator(clip, ClipTokenizer.openai());
        float[] clipImages = clipEval.imageEmbeddings(test); // (N, E)
        double[] scratchScores = {clipEval.zeroShot(clipImages, test.size(), FashionPrompts.seen(), test.labels())[0],
                clipEval.zeroShot(clipImages, test.size(), FashionPrompts.unseen(), test.labels())[0]};
        // endregion scratch

        // region compare
        // Step 4: the training names and names never seen ("running shoes", "a handbag", "a pair of pants").
        out.printf("zero-shot top-1 on %d test images   seen names   unseen names%n", test.size());
        out.printf("  MiniLM locked (LiT)              %6.1f%%      %6.1f%%%n", 100 * litScores[0], 100 * litScores[1]);
        out.printf("  text tower from scratch          %6.1f%%      %6.1f%%%n", 100 * scratchScores[0], 100 * scratchScores[1]);
        out.println("unseen names of a sneaker: " + FashionPrompts.UNSEEN_NAMES.get(7));
        return ctx.check("the locked tower reads unseen names: at least 20% and twice the scratch tower's",
                litScores[1] >= 0.2 && litScores[1] >= 2 * scratchScores[1]);
        // endregion compare
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new I10PretrainedTextTower(), args);
    }
}
