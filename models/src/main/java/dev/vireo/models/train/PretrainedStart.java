package dev.vireo.models.train;

import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.text.CaptionVocabulary;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlRuns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Fine-tuning from a pretrained VL run: its vocabulary kept in order with the new data's words
 * appended, and its weights copied into the new model by name. A tensor that grows with the
 * vocabulary (word embeddings, the MLM decoder) keeps its pretrained rows and its new rows start as
 * initialised; a tensor the pretrained run lacks (a new head) starts as initialised; any other
 * difference in shape is an error naming the tensor. Or only the image tower, from a captioner.
 */
final class PretrainedStart {
    /** The prefix of the image tower's tensors. */
    static final String TOWER = "vision_model.";

    private PretrainedStart() {}

    /** The pretrained vocabulary plus the words of {@code data}'s texts it lacks, written to the run folder (kept on resume). */
    static WordPieceTokenizer vocabulary(TrainConfig cfg, ImageTextData data, Path from) throws IOException {
        Path file = cfg.outDir().resolve(VlRuns.VOCAB);
        if (!(cfg.resume() && Files.isRegularFile(file))) {
            LinkedHashSet<String> tokens = new LinkedHashSet<>(Files.readAllLines(from.resolve(VlRuns.VOCAB)).stream().filter(l -> !l.isEmpty()).toList());
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) texts.addAll(data.captions(i));
            tokens.addAll(CaptionVocabulary.build(texts, Integer.MAX_VALUE));
            AtomicFiles.writeString(file, String.join("\n", tokens) + "\n");
        }
        return WordPieceTokenizer.fromVocabTxt(file, true);
    }

    /** Copies the pretrained run's weights into {@code model} (see the class comment). */
    static void copyWeights(Path from, VlModel model) throws IOException {
        Map<String, Tensor> pretrained = Checkpoint.load(from.resolve(ClipTrainer.CHECKPOINT)).model();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            Tensor source = pretrained.get(e.getKey());
            if (source == null) continue;
            int[] to = e.getValue().value().shape(), was = source.shape();
            boolean fits = java.util.Arrays.equals(to, was)
                    || to.length == was.length && to.length > 0 && to[0] >= was[0] && numelPerRow(to) == numelPerRow(was);
            if (!fits) {
                throw new IllegalArgumentException("fine-tuning from " + from + ": " + e.getKey() + " is " + java.util.Arrays.toString(was)
                        + " there but " + java.util.Arrays.toString(to) + " here");
            }
            copyInto(e.getValue(), source);
        }
    }

    /** source's values into the leading elements of {@code target}'s (all of them when the shapes are equal). */
    private static void copyInto(Parameter target, Tensor source) {
        Tensor to = target.value().dense();
        float[] values = source.dense().toArray();
        System.arraycopy(values, 0, to.array(), to.offset(), values.length);
    }

    private static long numelPerRow(int[] shape) {
        long n = 1;
        for (int i = 1; i < shape.length; i++) n *= shape[i];
        return n;
    }

    /** The tensors of another run's image tower ({@value #TOWER}*, the same names in a VL model and a captioner), copied into {@code model}. */
    static void copyImageTower(Path from, VlModel model) throws IOException {
        Map<String, Tensor> other = Checkpoint.load(from.resolve(ClipTrainer.CHECKPOINT)).model();
        int copied = 0;
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            if (!e.getKey().startsWith(TOWER)) continue;
            Tensor source = other.get(e.getKey());
            if (source == null || !java.util.Arrays.equals(source.shape(), e.getValue().value().shape())) {
                throw new IllegalArgumentException("image tower from " + from + ": " + e.getKey() + " is missing there or shaped otherwise");
            }
            copyInto(e.getValue(), source);
            copied++;
        }
        if (copied == 0) throw new IllegalArgumentException("image tower from " + from + ": the model has no " + TOWER + " tensors");
    }
}
