package dev.vireo.bench.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsers that read outside input, each with valid seed files made here, in four groups: images
 * ({@link ImageTargets}: PNG, JPEG, GIF, BMP), weights and model descriptions ({@link ModelFileTargets}:
 * safetensors, checkpoints, ONNX, CLIP and LiT config JSON, Hugging Face CLIP and BERT config.json and
 * preprocessor_config.json),
 * tokenizer files ({@link TextTargets}: vocab.txt, tokenizer.json, CLIP BPE vocab.json + merges.txt)
 * and data sets ({@link DataTargets}: caption CSV, WebDataset tar, IDX, COCO and Karpathy JSON,
 * captions to score and VQA v2 annotations).
 * Parsers that take a path read a file in {@code scratch} that each input overwrites.
 */
final class FuzzTargets {
    private FuzzTargets() {}

    static List<FuzzTarget> all(Path scratch) throws IOException {
        Files.createDirectories(scratch);
        List<FuzzTarget> all = new ArrayList<>(ImageTargets.all());
        all.addAll(ModelFileTargets.all(scratch));
        all.addAll(TextTargets.all(scratch));
        all.addAll(DataTargets.all(scratch));
        return List.copyOf(all);
    }

    /** The targets' names, in order. */
    static List<String> names(List<FuzzTarget> targets) {
        return targets.stream().map(FuzzTarget::name).toList();
    }
}
