package dev.vireo.models.clip;

import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.Map;

/**
 * Weight-space ensembling of a zero-shot and a fine-tuned classifier, WiSE-FT (Wortsman et al. 2022,
 * "Robust fine-tuning of zero-shot models"): θ(α) = (1 − α)·θ_zero-shot + α·θ_fine-tuned, parameter by
 * parameter over the image tower, its projection and the head. The two must share one shape (the
 * fine-tuned model started as the zero-shot one). α = 0 and α = 1 return exact copies of the
 * endpoints (the formula could turn a −0 into +0), so the ends of a sweep are the two models to the bit.
 */
public final class WiseFt {
    private WiseFt() {}

    /** The classifier with weights θ(α); {@code alpha} in [0, 1]; the two inputs are left as they are. */
    public static ClipImageClassifier interpolate(ClipImageClassifier zeroShot, ClipImageClassifier fineTuned, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("WiSE-FT: alpha must be in [0, 1], got " + alpha);
        Map<String, Parameter> a = zeroShot.namedParameters(), b = fineTuned.namedParameters();
        if (!a.keySet().equals(b.keySet())) {
            throw new IllegalArgumentException("WiSE-FT: the two classifiers have different parameters: " + a.keySet() + " vs " + b.keySet());
        }
        ClipImageClassifier out = ClipImageClassifier.sameShapeAs(alpha == 1 ? fineTuned : zeroShot);
        if (alpha == 0 || alpha == 1) return out;
        float wa = (float) (1 - alpha), wb = (float) alpha;
        for (Map.Entry<String, Parameter> e : out.namedParameters().entrySet()) {
            String name = e.getKey();
            float[] x = a.get(name).value().toArray(), y = b.get(name).value().toArray();
            if (!Shapes.equal(a.get(name).shape(), b.get(name).shape())) {
                throw new IllegalArgumentException("WiSE-FT: " + name + " is " + Shapes.str(a.get(name).shape()) + " in one and "
                        + Shapes.str(b.get(name).shape()) + " in the other");
            }
            float[] mixed = new float[x.length];
            for (int i = 0; i < x.length; i++) mixed[i] = wa * x[i] + wb * y[i];
            e.getValue().copyFrom(name, Tensor.of(mixed, e.getValue().shape()));
        }
        return out;
    }
}
