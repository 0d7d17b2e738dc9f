package dev.vireo.models.config;

/** The text tower of a CLIP model: a causal transformer over {@code contextLength} BPE tokens. */
public record TextConfig(int contextLength, int vocabSize, int width, int layers, int heads, double mlpRatio, String activation) {
    public TextConfig {
        ConfigChecks.positive("text", "contextLength", contextLength);
        ConfigChecks.positive("text", "vocabSize", vocabSize);
        ConfigChecks.positive("text", "width", width);
        ConfigChecks.positive("text", "layers", layers);
        ConfigChecks.positive("text", "heads", heads);
        if (width % heads != 0) throw new IllegalArgumentException("text: width " + width + " is not a multiple of heads " + heads);
        ConfigChecks.mlpRatio("text", width, mlpRatio);
        ConfigChecks.activation("text", activation);
    }

    public int mlpWidth() {
        return (int) Math.round(width * mlpRatio);
    }
}
