package dev.vireo.examples.cli;

import dev.vireo.models.blip.BlipCaptioner;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.caption.ImageCaptioner;
import dev.vireo.models.caption.TrainedCaptioner;
import dev.vireo.models.coca.CocaRuns;
import dev.vireo.models.vl.VlRuns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The captioners {@code vireo caption} can load, told apart by what their folder holds: a Vireo
 * caption run folder (config.json without a fusion, vocab.txt, prompt.txt), a Vireo CoCa run folder
 * (the same with caption queries in its config), a Vireo VL run folder pretrained with the lm
 * objective (its text decoder writes the captions, after no prompt), or a Hugging Face
 * BlipForConditionalGeneration folder.
 */
final class ImageCaptioners {
    private ImageCaptioners() {}

    static ImageCaptioner load(Path model) throws IOException {
        if (!Files.isDirectory(model)) throw new IllegalArgumentException("model " + model + " is not a folder");
        if (CocaRuns.isCocaRun(model)) {
            CocaRuns.Loaded coca = CocaRuns.load(model);
            return new TrainedCaptioner(coca.model(), coca.tokenizer(), coca.prompt());
        }
        if (CaptionRuns.isCaptionRun(model)) return TrainedCaptioner.load(model);
        if (VlRuns.isVlRun(model)) {
            VlRuns.Loaded vl = VlRuns.load(model);
            if (!vl.model().hasDecoder()) {
                throw new IllegalArgumentException("model " + model + " is a VL run without a text decoder: pretrain it with the lm objective"
                        + " (vireo pretrain --objectives itc,itm,mlm,lm) to caption with it");
            }
            return new TrainedCaptioner(vl.model(), vl.tokenizer(), "");
        }
        Path config = model.resolve("config.json");
        if (Files.isRegularFile(config) && Files.readString(config).contains("\"blip\"")) return BlipCaptioner.load(model);
        throw new IllegalArgumentException("model " + model + " is not a captioning model folder: neither a Vireo caption run folder"
                + " (vireo demo caption / finetune --task caption), nor a CoCa run (demo coca / finetune --task coca), nor a VL run pretrained"
                + " with lm, nor a Hugging Face BlipForConditionalGeneration folder");
    }
}
