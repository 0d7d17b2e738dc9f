package dev.vireo.models.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vireo.engine.io.OneLine;
import dev.vireo.engine.io.OnnxModel;
import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.BertModel;
import dev.vireo.models.config.BertConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * BERT weights into a {@link BertModel}: from a Hugging Face folder ({@code config.json} +
 * {@code model.safetensors}, as {@code BertModel} or sentence-transformers save them, with or
 * without the {@code bert.} prefix of task models) or from the initializers of an ONNX export.
 * Every shape is checked against the config, and a missing or extra tensor is named.
 */
public final class BertCheckpoints {
    /** Buffers and task heads real checkpoints carry that a bare encoder does not use. */
    private static final List<String> IGNORED = List.of("embeddings.position_ids", "cls.", "embeddings.token_type_ids");

    private BertCheckpoints() {}

    /** Reads HF {@code BertConfig} fields from a config.json. */
    public static BertConfig readConfig(Path file) throws IOException {
        JsonNode root = HfJsonFields.readTree(Files.readAllBytes(file), file.toString());
        HfJsonFields f = new HfJsonFields(root, file.toString(), "");
        String type = f.string("model_type", "bert");
        if (!type.equals("bert")) throw HfJsonFields.problem(file.toString(), "model_type '" + type + "' is not a BERT encoder");
        if (root.path("is_decoder").asBoolean(false) || root.path("add_cross_attention").asBoolean(false)) {
            throw HfJsonFields.problem(file.toString(), "a BERT decoder or one with cross-attention is not read from"
                    + " a folder yet; build it with BertModel(rng, config, crossWidth) and load its state dict");
        }
        if (!"absolute".equals(root.path("position_embedding_type").asText("absolute"))) {
            throw HfJsonFields.problem(file.toString(), "position_embedding_type '"
                    + root.path("position_embedding_type").asText() + "' is not supported (only absolute)");
        }
        return new BertConfig(f.integer("vocab_size"), f.integer("hidden_size"), f.integer("num_hidden_layers"),
                f.integer("num_attention_heads"), f.integer("intermediate_size"), f.integer("max_position_embeddings", 512),
                f.integer("type_vocab_size", 2), f.number("layer_norm_eps", 1e-12), f.string("hidden_act", "gelu"), false);
    }

    /** A BertModel from an HF folder's config.json and model.safetensors (copied to the heap: trainable). */
    public static BertModel loadFolder(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json"), weights = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(configFile)) throw new IllegalArgumentException("BERT folder " + dir + ": config.json is missing");
        if (!Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("BERT folder " + dir + ": model.safetensors is missing"
                    + (Files.exists(dir.resolve("pytorch_model.bin")) ? " (pytorch_model.bin is a pickle; convert it to safetensors)" : ""));
        }
        BertConfig config = readConfig(configFile);
        try (SafetensorsReader reader = SafetensorsReader.open(weights)) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (String name : reader.names()) {
                String key = name.startsWith("bert.") ? name.substring(5) : name;
                if (ignored(key)) continue;
                Tensor t = reader.tensor(name);
                state.put(key, Tensor.of(t.toArray(), t.shape()));
            }
            boolean pooler = state.containsKey("pooler.dense.weight");
            return build(config.withPooler(pooler), state, weights.toString());
        }
    }

    /**
     * A BertModel from an ONNX export's initializers. Named initializers map one to one; PyTorch
     * exports a Linear's weight transposed under an anonymous name ({@code onnx::MatMul_787}), found
     * through the graph as the MatMul whose output is added to the named bias. The config comes from
     * {@code config} when given, otherwise from the tensor shapes and the heads of the graph's first
     * attention reshape.
     */
    public static BertModel loadOnnx(OnnxModel onnx, BertConfig config) {
        Map<String, Tensor> state = onnxState(onnx);
        BertConfig c = config != null ? config : inferConfig(onnx, state);
        return build(c.withPooler(state.containsKey("pooler.dense.weight")), state, onnx.source());
    }

    static Map<String, Tensor> onnxState(OnnxModel onnx) {
        Map<String, String> biasOfOutput = new HashMap<>(); // MatMul output name -> bias initializer added to it
        for (OnnxModel.Node node : onnx.nodes()) {
            if (!node.opType().equals("Add") || node.inputs().size() != 2) continue;
            for (int i = 0; i < 2; i++) {
                String bias = node.inputs().get(i);
                if (bias.endsWith(".bias") && onnx.initializers().containsKey(bias)) biasOfOutput.put(node.inputs().get(1 - i), bias);
            }
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (OnnxModel.Node node : onnx.nodes()) {
            if (!node.opType().equals("MatMul") || node.inputs().size() != 2) continue;
            String weight = node.inputs().get(1);
            OnnxModel.Initializer init = onnx.initializers().get(weight);
            if (init == null || init.dims().length != 2) continue;
            String bias = node.outputs().isEmpty() ? null : biasOfOutput.get(node.outputs().getFirst());
            if (bias == null) {
                throw oneLine("ONNX " + onnx.source() + ": the MatMul weight '" + weight
                        + "' is not followed by a named bias, so its layer cannot be named");
            }
            String name = bias.substring(0, bias.length() - ".bias".length()) + ".weight";
            Tensor stored = onnx.tensor(weight);                       // (in, out) as MatMul reads it
            state.put(name, stored.transpose(0, 1).contiguous());      // (out, in) as Linear stores it
        }
        for (String name : onnx.initializers().keySet()) {
            OnnxModel.Initializer init = onnx.initializers().get(name);
            if (name.startsWith("onnx::") || ignored(name) || state.containsKey(name)) continue;
            if (init.dataType() == OnnxModel.INT64 || init.dataType() == OnnxModel.INT32) continue;
            state.put(name, onnx.tensor(name));
        }
        return state;
    }

    private static BertConfig inferConfig(OnnxModel onnx, Map<String, Tensor> state) {
        Tensor words = matrix(state, "embeddings.word_embeddings.weight", onnx.source());
        Tensor positions = matrix(state, "embeddings.position_embeddings.weight", onnx.source());
        Tensor types = matrix(state, "embeddings.token_type_embeddings.weight", onnx.source());
        Tensor inter = matrix(state, "encoder.layer.0.intermediate.dense.weight", onnx.source());
        int hidden = words.size(1);
        int layers = 0;
        while (state.containsKey("encoder.layer." + layers + ".attention.self.query.weight")) layers++;
        return new BertConfig(words.size(0), hidden, layers, heads(onnx, hidden), inter.size(0), positions.size(0), types.size(0),
                1e-12, "gelu", false);
    }

    /** Heads from the first reshape to (batch, length, heads, head_dim) the graph builds from constants. */
    private static int heads(OnnxModel onnx, int hidden) {
        Map<String, long[]> constants = new HashMap<>();
        for (OnnxModel.Node node : onnx.nodes()) {
            if (node.constant() != null && !node.outputs().isEmpty()) constants.put(node.outputs().getFirst(), node.constant());
            if (!node.opType().equals("Concat") || node.inputs().size() != 4) continue;
            long[] h = constants.get(node.inputs().get(2)), d = constants.get(node.inputs().get(3));
            if (h != null && d != null && h.length == 1 && d.length == 1 && h[0] > 0 && h[0] <= hidden && h[0] * d[0] == hidden) {
                return (int) h[0];
            }
        }
        throw new IllegalArgumentException("ONNX " + onnx.source() + ": cannot tell the number of attention heads from the graph;"
                + " put the model's config.json beside it");
    }

    /** A tensor the config is read from, which must be there and be a matrix. */
    private static Tensor matrix(Map<String, Tensor> state, String name, String source) {
        Tensor t = state.get(name);
        if (t == null) throw oneLine(source + ": no tensor '" + name + "': not a BERT model");
        if (t.shape().length != 2) throw oneLine(source + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape()) + ", not a matrix");
        return t;
    }

    /** An error on one line, whatever names the file put in it. */
    private static IllegalArgumentException oneLine(String message) {
        return new IllegalArgumentException(OneLine.of(message));
    }

    private static boolean ignored(String name) {
        for (String prefix : IGNORED) if (name.equals(prefix) || prefix.endsWith(".") && name.startsWith(prefix)) return true;
        return false;
    }

    private static BertModel build(BertConfig config, Map<String, Tensor> state, String source) {
        config.checkFits(state.values().stream().mapToLong(Tensor::numel).sum(), source); // before allocating
        BertModel model = new BertModel(Rng.forLoadedWeights(), config); // every tensor is loaded below, or this fails
        Module.LoadResult r = model.loadStateDict(state, false, false);
        if (!r.missing().isEmpty() || !r.unexpected().isEmpty()) {
            throw oneLine(source + ": not a BERT model of this config (" + config.layers() + " layers, width "
                    + config.hidden() + "): missing " + r.missing() + ", unexpected " + new TreeSet<>(r.unexpected()));
        }
        model.eval();
        return model;
    }
}
