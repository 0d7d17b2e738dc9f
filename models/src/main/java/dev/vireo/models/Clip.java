package dev.vireo.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.clip.ClipRuns;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.JsonErrors;
import dev.vireo.models.hf.HfCheckpoints;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.ImageDecodeException;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.ClipTokenizer;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Using a CLIP model as a library, the one entry point above the model ({@code clip}) and checkpoint
 * ({@code hf}) packages: load it from a Hugging Face folder, an open_clip state dict or a
 * Vireo run folder, then embed images and texts and classify zero-shot. Features are the projected,
 * unnormalised vectors ({@code get_image_features} / {@code get_text_features}).
 *
 * <pre>{@code
 * try (Clip clip = Clip.load(Path.of("my-clip"))) {
 *     float[][] img = clip.encodeImages(List.of(Path.of("cat.jpg")));
 *     float[][] txt = clip.encodeTexts(List.of("a photo of a cat", "a photo of a dog"));
 *     float[][] probs = clip.zeroShotClassifier(img, txt);
 * }
 * }</pre>
 */
public final class Clip implements AutoCloseable {
    private static final int BATCH = 32;

    private final ClipModel model;
    private final Supplier<ClipTokenizer> tokenizer;
    private final ClipPreprocessor preprocessor;
    private final AutoCloseable resources;
    private final String kind;
    private final ComputeProvider provider;

    /**
     * How to load a model: the open_clip config a bare state dict needs (else null), and the compute
     * backend its towers run on ({@code cpu}, {@code tornado}, ...; null: the process-wide one, {@code -Dvireo.device}).
     */
    public record Options(String openClipConfig, String backend) {
        public static Options defaults() {
            return new Options(null, null);
        }

        public Options withBackend(String name) {
            return new Options(openClipConfig, name);
        }

        public Options withOpenClipConfig(String name) {
            return new Options(name, backend);
        }

        ComputeProvider provider() {
            return backend == null ? ComputeProvider.get() : ComputeProvider.named(backend);
        }
    }

    public Clip(ClipModel model, ClipTokenizer tokenizer, ClipPreprocessor preprocessor, AutoCloseable resources, String kind) {
        this(model, () -> tokenizer, preprocessor, resources, kind, ComputeProvider.get());
    }

    /** With the tokenizer made when first needed (a loaded folder's, whose vocabulary an image-only use never reads). */
    private Clip(ClipModel model, Supplier<ClipTokenizer> tokenizer, ClipPreprocessor preprocessor, AutoCloseable resources, String kind,
                 ComputeProvider provider) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.preprocessor = preprocessor;
        this.resources = resources;
        this.kind = kind;
        this.provider = provider;
        provider.register(weights()); // a device provider uploads them once; the CPU keeps them where they are
    }

    /** The compute provider this model's towers run on. */
    public String backend() {
        return provider.name();
    }

    /** Runs a forward pass on this model's provider. */
    private Tensor onProvider(Supplier<Tensor> pass) {
        return ComputeProvider.using(provider, pass::get);
    }

    /** The model's weights, as handed to the compute provider. */
    private List<Tensor> weights() {
        return model.namedParameters().values().stream().map(Parameter::value).toList();
    }

    /**
     * Loads a model from {@code path}: a Hugging Face CLIPModel folder, a Vireo run folder, or an
     * open_clip {@code .safetensors} state dict (then {@code openClipConfig} names its config).
     * The error says which it found or why it cannot load it.
     */
    public static Clip load(Path path, String openClipConfig) throws IOException {
        return load(path, Options.defaults().withOpenClipConfig(openClipConfig));
    }

    /** Loads as {@link #load(Path, String)} does, on the backend {@code options} names (a one-line error when it cannot run here). */
    public static Clip load(Path path, Options options) throws IOException {
        ComputeProvider provider = options.provider();
        String openClipConfig = options.openClipConfig();
        if (!Files.exists(path)) throw new IllegalArgumentException("cannot load a model: " + path + " does not exist");
        if (Files.isRegularFile(path)) {
            if (!path.toString().endsWith(".safetensors")) {
                throw new IllegalArgumentException("cannot load " + path + ": a model file must be an open_clip .safetensors state dict");
            }
            if (openClipConfig == null) {
                throw new IllegalArgumentException("cannot load " + path + ": an open_clip state dict needs its model config (--config NAME or FILE.json)");
            }
            ClipConfig config = ClipConfig.resolve(openClipConfig);
            HfCheckpoints.Loaded l = HfCheckpoints.loadOpenClip(path, config);
            return new Clip(l.model(), l.tokenizers(), new ClipPreprocessor(ClipPreprocessConfig.openai(config.vision().imageSize())), l, "open_clip",
                    provider);
        }
        Path config = path.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("cannot load " + path + ": no config.json (expected a Hugging Face CLIP folder or a Vireo run folder)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(config.toFile());
        } catch (JsonProcessingException | CharConversionException e) {
            throw new IllegalArgumentException("cannot load " + path + ": config.json is not valid JSON: " + JsonErrors.oneLine(e), e);
        }
        if (root.has("vision_config") || root.has("model_type")) {
            HfCheckpoints.Loaded l = HfCheckpoints.load(path, true);
            Path pre = path.resolve("preprocessor_config.json");
            ClipPreprocessConfig pc = Files.isRegularFile(pre) ? ClipPreprocessConfig.fromJson(pre)
                    : ClipPreprocessConfig.openai(l.config().clip().vision().imageSize());
            return new Clip(l.model(), l.tokenizers(), new ClipPreprocessor(pc), l, "huggingface", provider);
        }
        if (Files.isRegularFile(path.resolve("checkpoint.safetensors"))) {
            ClipRuns.Mapped run = ClipRuns.loadMapped(path);
            ClipModel m = run.model();
            return new Clip(m, ClipTokenizer::openai, new ClipPreprocessor(ClipPreprocessConfig.openai(m.config().vision().imageSize())),
                    run, "vireo", provider);
        }
        throw new IllegalArgumentException("cannot load " + path + ": config.json is not a Hugging Face CLIP config and there is no checkpoint.safetensors");
    }

    public static Clip load(Path path) throws IOException {
        return load(path, Options.defaults());
    }

    /**
     * Runs one blank image and one short text through the model twice, so that a server's first
     * requests do not pay for what a process pays once: the JIT compiling the kernels, and the packed
     * copies of the weights, which the compute provider makes on their second use. Changes no result.
     * Returns the seconds it took (ViT-B/32 on 2 cores: a few).
     */
    public double warmUp() {
        long start = System.nanoTime();
        int side = model.config().vision().imageSize();
        float[] blank = new float[3 * side * side]; // (1, 3, S, S), already normalised
        for (int i = 0; i < 2; i++) {
            encodePreprocessed(blank, 1);
            encodeTexts(List.of("a photo"));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Which layout the model came from: {@code huggingface}, {@code open_clip} or {@code vireo}. */
    public String kind() {
        return kind;
    }

    public ClipModel model() {
        return model;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer.get();
    }

    /** The model's image processor (resize, centre crop, normalisation). */
    public ClipPreprocessor preprocessor() {
        return preprocessor;
    }

    /**
     * Image features (N, E) of {@code count} images already through {@link #preprocessor()}, laid out
     * (N, 3, S, S) in {@code pixels}: for callers that decode and preprocess on threads of their own.
     */
    public float[][] encodePreprocessed(float[] pixels, int count) {
        int e = model.config().embedDim(), side = model.config().vision().imageSize();
        if (pixels.length != count * 3 * side * side) {
            throw new IllegalArgumentException("encodePreprocessed: " + pixels.length + " values are not " + count + " images of 3x"
                    + side + "x" + side);
        }
        float[][] out = new float[count][];
        try (var ignored = GradMode.noGrad()) {
            float[] f = finite(onProvider(() -> model.encodeImage(Tensor.of(pixels, count, 3, side, side))).toArray(), "image"); // (N, E)
            for (int j = 0; j < count; j++) out[j] = Arrays.copyOfRange(f, j * e, (j + 1) * e);
        }
        return out;
    }

    /** Image features (N, E) of image files, decoded and preprocessed as the model's processor says. */
    public float[][] encodeImages(List<Path> files) {
        List<RgbImage> images = new ArrayList<>();
        for (Path f : files) images.add(ImageDecoder.decode(f));
        return encodeDecoded(images);
    }

    /** One file's outcome: its features, or why it could not be read (one line). */
    public record ImageResult(Path file, float[] features, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Features of each file that decodes, and a one-line error for each that does not (missing,
     * corrupt, too large), in input order: one bad image does not cost the others their results.
     */
    public List<ImageResult> encodeEach(List<Path> files) {
        return encodeEachDecoded(decodeEach(files));
    }

    /** One file as {@link #decodeEach} read it: its image, or why it could not be read (one line). */
    public record DecodedFile(Path file, RgbImage image, String error) {}

    /**
     * Decodes each file, in input order, with a one-line error for each that cannot be read. It needs
     * no model, so a caller may run it on a thread of its own while {@link #load} reads the weights,
     * then hand the result to {@link #encodeEachDecoded}.
     */
    public static List<DecodedFile> decodeEach(List<Path> files) {
        List<DecodedFile> out = new ArrayList<>(files.size());
        for (Path f : files) {
            if (!Files.exists(f)) {
                out.add(new DecodedFile(f, null, "image " + f + " does not exist"));
            } else if (!Files.isRegularFile(f)) {
                out.add(new DecodedFile(f, null, "image " + f + " is not a regular file (a folder, a device or a pipe)"));
            } else {
                try {
                    out.add(new DecodedFile(f, ImageDecoder.decode(f), null));
                } catch (ImageDecodeException e) {
                    out.add(new DecodedFile(f, null, e.getMessage()));
                }
            }
        }
        return out;
    }

    /** {@link #encodeEach} of files {@link #decodeEach} has read: the same results, in the same order. */
    public List<ImageResult> encodeEachDecoded(List<DecodedFile> files) {
        List<RgbImage> decoded = new ArrayList<>();
        for (DecodedFile f : files) if (f.error() == null) decoded.add(f.image());
        float[][] features = encodeDecoded(decoded);
        List<ImageResult> out = new ArrayList<>(files.size());
        int d = 0;
        for (DecodedFile f : files) {
            out.add(f.error() == null ? new ImageResult(f.file(), features[d++], null) : new ImageResult(f.file(), null, f.error()));
        }
        return out;
    }

    /** Image features (N, E) of decoded images. */
    public float[][] encodeDecoded(List<RgbImage> images) {
        int e = model.config().embedDim();
        float[][] out = new float[images.size()][];
        try (var ignored = GradMode.noGrad()) {
            for (int s = 0; s < images.size(); s += BATCH) {
                List<RgbImage> part = images.subList(s, Math.min(images.size(), s + BATCH));
                float[] f = finite(onProvider(() -> model.encodeImage(preprocessor.toTensor(part))).toArray(), "image"); // (b, E)
                for (int j = 0; j < part.size(); j++) out[s + j] = Arrays.copyOfRange(f, j * e, (j + 1) * e);
            }
        }
        return out;
    }

    /** Text features (N, E). */
    public float[][] encodeTexts(List<String> texts) {
        int e = model.config().embedDim(), ctx = model.config().text().contextLength();
        float[][] out = new float[texts.size()][];
        try (var ignored = GradMode.noGrad()) {
            for (int s = 0; s < texts.size(); s += BATCH) {
                int b = Math.min(BATCH, texts.size() - s);
                int[] ids = new int[b * ctx]; // (b, T): padded as the tokenizer pads
                for (int j = 0; j < b; j++) System.arraycopy(tokenizer().encode(texts.get(s + j), ctx), 0, ids, j * ctx, ctx);
                float[] f = finite(onProvider(() -> model.encodeText(ids, b, ctx)).toArray(), "text"); // (b, E)
                for (int j = 0; j < b; j++) out[s + j] = Arrays.copyOfRange(f, j * e, (j + 1) * e);
            }
        }
        return out;
    }

    /** The features, or a clear error when the model gave NaN or infinity (damaged weights, a zero image_std). */
    private float[] finite(float[] features, String tower) {
        for (float v : features) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("the " + tower + " tower of this " + kind + " model gave a non-finite feature ("
                        + v + "): its weights or preprocessing config hold NaN, infinity or a zero scale");
            }
        }
        return features;
    }

    /** Cosine similarities (images × texts). */
    public static float[][] similarity(float[][] imageFeatures, float[][] textFeatures) {
        float[][] out = new float[imageFeatures.length][textFeatures.length];
        for (int i = 0; i < imageFeatures.length; i++) {
            for (int j = 0; j < textFeatures.length; j++) out[i][j] = cosine(imageFeatures[i], textFeatures[j]);
        }
        return out;
    }

    /** Zero-shot class probabilities: softmax over classes of exp(logit scale)·cosine, per image. */
    public float[][] zeroShotClassifier(float[][] imageFeatures, float[][] classTextFeatures) {
        float scale = model.scale().item();
        float[][] sim = similarity(imageFeatures, classTextFeatures);
        for (float[] row : sim) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < row.length; j++) max = Math.max(max, row[j] *= scale);
            double sum = 0;
            for (int j = 0; j < row.length; j++) sum += row[j] = (float) Math.exp(row[j] - max);
            for (int j = 0; j < row.length; j++) row[j] /= (float) sum;
        }
        return sim;
    }

    static float cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return (float) (dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-12));
    }

    /** As a tensor, for library users who continue with tensor ops. */
    public static Tensor toTensor(float[][] rows) {
        int n = rows.length, e = n == 0 ? 0 : rows[0].length;
        float[] flat = new float[n * e];
        for (int i = 0; i < n; i++) System.arraycopy(rows[i], 0, flat, i * e, e);
        return Tensor.of(flat, n, e); // (N, E)
    }

    @Override
    public void close() throws Exception {
        provider.release(weights());
        if (resources != null) resources.close();
    }
}
