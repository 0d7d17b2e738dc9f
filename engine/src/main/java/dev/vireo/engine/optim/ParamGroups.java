package dev.vireo.engine.optim;

import dev.vireo.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits named parameters into a weight-decay group and a no-decay group, as CLIP training does:
 * biases, normalisation gains, embeddings, the logit scale and anything of rank below 2 are not
 * decayed (decaying them only shrinks what should stay free; open_clip, nanoGPT do the same).
 */
public final class ParamGroups {
    private ParamGroups() {}

    /** Whether {@code param} named {@code name} should get weight decay: rank ≥ 2 and not a bias, norm, embedding or logit scale. */
    public static boolean decays(String name, Tensor param) {
        if (param.rank() < 2) return false;
        for (String part : name.toLowerCase(Locale.ROOT).split("[./]")) {
            if (part.contains("bias") || part.contains("norm") || part.contains("embed") || part.contains("logit_scale")
                    || part.startsWith("ln") || part.startsWith("bn")) {
                return false;
            }
        }
        return true;
    }

    /** Two groups with learning rate {@code lr}: first the decayed parameters (weight decay {@code weightDecay}), then the rest (none). */
    public static List<ParamGroup> withWeightDecay(Map<String, Tensor> named, double lr, double weightDecay) {
        Map<String, Tensor> decay = new LinkedHashMap<>();
        Map<String, Tensor> noDecay = new LinkedHashMap<>();
        named.forEach((name, p) -> (decays(name, p) ? decay : noDecay).put(name, p));
        return List.of(new ParamGroup(decay, lr, weightDecay), new ParamGroup(noDecay, lr, 0));
    }

    /** One group of all parameters. */
    public static List<ParamGroup> single(Map<String, Tensor> named, double lr, double weightDecay) {
        return List.of(new ParamGroup(named, lr, weightDecay));
    }
}
