package dev.vireo.examples.cli;

import dev.vireo.engine.io.OneLine;
import dev.vireo.models.caption.ImageCaptioner;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vireo caption}: a caption for each image from an image captioning model, decoded as
 * transformers' {@code generate} decodes (greedy, beam search, or top-k / top-p sampling).
 */
@Command(name = "caption", description = {"captions images with an image captioning model (a Hugging Face BlipForConditionalGeneration",
        "folder), decoding as transformers' generate does: greedy by default, beam search with --beams, sampling with --sample"})
final class CaptionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "a Hugging Face BlipForConditionalGeneration folder")
    Path model;

    @Option(names = "--image", required = true, paramLabel = "PATH", arity = "1..*", description = "images (repeatable)")
    List<Path> images;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "", description = "text the caption continues (default: none)")
    String prompt;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "20", description = "most tokens after the prompt (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--min-length", paramLabel = "N", defaultValue = "0",
            description = "no end of caption before N tokens, the prompt and BLIP's [DEC] counted, as transformers counts (default: ${DEFAULT-VALUE})")
    int minLength;

    @Option(names = "--beams", paramLabel = "N", defaultValue = "1", description = "beam search with N beams; 1 for greedy or sampling (default: ${DEFAULT-VALUE})")
    int beams;

    @Option(names = "--length-penalty", paramLabel = "X", defaultValue = "1.0",
            description = "beam score = summed log-probability / generated length ^ X (default: ${DEFAULT-VALUE})")
    double lengthPenalty;

    @Option(names = "--early-stopping", description = "beam search stops once N hypotheses are finished")
    boolean earlyStopping;

    @Option(names = "--sample", description = "sample each token from the filtered distribution instead of taking the likeliest")
    boolean sample;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "50", description = "sample among the K likeliest tokens; 0: all (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0",
            description = "sample among the likeliest tokens whose probability reaches P (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0", description = "logits divided by T before sampling (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of the sampler (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--repetition-penalty", paramLabel = "R", defaultValue = "1.0",
            description = "scores of tokens already in the caption divided (positive) or multiplied (negative) by R (default: ${DEFAULT-VALUE})")
    double repetitionPenalty;

    @Option(names = "--json", description = "print {\"results\": [{\"image\", \"text\", \"ids\"}]} instead of one line per image")
    boolean json;

    @Override
    public Integer call() throws Exception {
        GenerationConfig generation = generation();
        List<RgbImage> decoded = new ArrayList<>();
        List<Path> decodedPaths = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (Path p : images) {
            try {
                decoded.add(ImageDecoder.decode(p));
                decodedPaths.add(p);
            } catch (RuntimeException e) {
                errors.add(ImageErrors.entry(p.toString(), OneLine.of(e.getMessage())));
            }
        }
        try (ImageCaptioner captioner = ImageCaptioners.load(model)) {
            List<ImageCaptioner.Caption> captions = decoded.isEmpty() ? List.of() : captioner.caption(decoded, prompt, generation);
            if (json) {
                List<Map<String, Object>> results = new ArrayList<>();
                for (int i = 0; i < captions.size(); i++) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("image", decodedPaths.get(i).toString());
                    r.put("text", captions.get(i).text());
                    r.put("ids", captions.get(i).ids());
                    results.add(r);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("results", results);
                if (!errors.isEmpty()) out.put("errors", errors);
                System.out.println(Json.write(out));
            } else {
                for (int i = 0; i < captions.size(); i++) System.out.println(decodedPaths.get(i) + "\t" + captions.get(i).text());
                for (Map<String, Object> e : errors) System.err.println("vireo caption: " + e.get("image") + ": " + e.get("error"));
            }
        }
        return errors.isEmpty() ? 0 : 1;
    }

    /** The decoding options as a GenerationConfig; a value out of range is a usage error naming it. */
    private GenerationConfig generation() {
        try {
            return new GenerationConfig(maxNewTokens, minLength, beams, lengthPenalty, earlyStopping, sample, topK, topP, temperature,
                    repetitionPenalty, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
