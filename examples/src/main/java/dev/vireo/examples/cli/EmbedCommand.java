package dev.vireo.examples.cli;

import dev.vireo.models.Clip;
import dev.vireo.models.SentenceEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
 * {@code vireo embed}: a CLIP model's projected, unnormalised image and text features, or a text
 * model's normalised sentence embeddings (sentence-transformers' vectors), in input order.
 */
@Command(name = "embed", description = "image and text features of a CLIP model, or sentence embeddings of a text model (minilm), as JSON")
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M",
            description = "minilm (fetched on first use), a sentence-transformers/BERT folder or .onnx file,"
                    + " a Hugging Face CLIP folder, an open_clip .safetensors file (with --config) or a Vireo run folder")
    Path model;

    @Option(names = "--config", paramLabel = "NAME", description = "the open_clip config of a .safetensors file, e.g. ViT-B-32")
    String config;

    @Option(names = "--image", paramLabel = "PATH", arity = "1..*", description = "images to embed (repeatable; CLIP models only)")
    List<Path> images = new ArrayList<>();

    @Option(names = "--text", paramLabel = "STRING", arity = "1..*", description = "texts to embed (repeatable)")
    List<String> texts = new ArrayList<>();

    @Option(names = "--max-length", paramLabel = "N",
            description = "truncate texts at N word pieces with [CLS] and [SEP] (text models; default: the model's, 256 for minilm)")
    Integer maxLength;

    @Mixin
    Mixins.Backend backend;

    @Option(names = "--json", description = "accepted for symmetry: the output is always JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (images.isEmpty() && texts.isEmpty()) throw new ParameterException(spec.commandLine(), "give at least one --image or --text");
        Path path = TextModels.resolve(model);
        Map<String, Object> out = backend.run(() -> TextModels.isTextModel(path) ? sentenceEmbeddings(path) : clipFeatures());
        System.out.println(Json.write(out));
        if (out.containsKey("errors")) {
            List<?> errors = (List<?>) out.get("errors");
            for (Object e : errors) System.err.println("vireo embed: " + ((Map<?, ?>) e).get("error"));
            System.err.println("vireo embed: " + errors.size() + " of " + images.size() + " images could not be read (see \"errors\")");
            return 1;
        }
        return 0;
    }

    private Map<String, Object> sentenceEmbeddings(Path path) throws Exception {
        if (!images.isEmpty()) throw new IllegalArgumentException(model + " is a text-only model: it embeds --text, not --image");
        if (config != null) throw new IllegalArgumentException("--config names an open_clip config; " + model + " is a text model");
        try (SentenceEncoder encoder = TextModels.load(path, maxLength)) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("text_embeds", encoder.encode(texts));
            return out;
        }
    }

    private Map<String, Object> clipFeatures() throws Exception {
        if (maxLength != null) throw new IllegalArgumentException("--max-length applies to text models; CLIP truncates at its context length");
        BackgroundDecode decoding = BackgroundDecode.start(images); // while the model loads
        try (Clip clip = Clip.load(model, config)) {
            Map<String, Object> out = new LinkedHashMap<>();
            // an image that cannot be read gets null here and a line in "errors"; the others keep their features
            List<float[]> imageEmbeds = new ArrayList<>();
            List<Map<String, Object>> errors = new ArrayList<>();
            for (Clip.ImageResult r : images.isEmpty() ? List.<Clip.ImageResult>of() : clip.encodeEachDecoded(decoding.files())) {
                imageEmbeds.add(r.features());
                if (!r.ok()) errors.add(ImageErrors.entry(r));
            }
            out.put("image_embeds", imageEmbeds);
            out.put("text_embeds", texts.isEmpty() ? List.of() : clip.encodeTexts(texts));
            if (!errors.isEmpty()) out.put("errors", errors);
            return out;
        }
    }
}
