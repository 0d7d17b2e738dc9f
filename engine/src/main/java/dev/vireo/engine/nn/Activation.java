package dev.vireo.engine.nn;

import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.tensor.Tensor;

/** The MLP activations of transformer configs, by their config names. */
public enum Activation {
    /** x·σ(1.702x): OpenAI CLIP. */
    QUICK_GELU("quick_gelu"),
    /** Exact GELU: open_clip, BERT. */
    GELU("gelu"),
    /** GELU, tanh approximation ("gelu_new", "gelu_pytorch_tanh"). */
    GELU_TANH("gelu_tanh"),
    RELU("relu");

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The kernel function computing this activation. */
    public UnaryOp unaryOp() {
        return switch (this) {
            case QUICK_GELU -> UnaryOp.QUICK_GELU;
            case GELU -> UnaryOp.GELU;
            case GELU_TANH -> UnaryOp.GELU_TANH;
            case RELU -> UnaryOp.RELU;
        };
    }

    public Tensor apply(Tensor x) {
        return switch (this) {
            case QUICK_GELU -> x.quickGelu();
            case GELU -> x.gelu();
            case GELU_TANH -> x.geluTanh();
            case RELU -> x.relu();
        };
    }

    /** By config name, also accepting Hugging Face's spellings. */
    public static Activation of(String name) {
        return switch (name) {
            case "quick_gelu" -> QUICK_GELU;
            case "gelu" -> GELU;
            case "gelu_tanh", "gelu_new", "gelu_pytorch_tanh" -> GELU_TANH;
            case "relu" -> RELU;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'; known: quick_gelu, gelu, gelu_tanh, relu");
        };
    }
}
