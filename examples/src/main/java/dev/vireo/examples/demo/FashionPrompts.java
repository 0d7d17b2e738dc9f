package dev.vireo.examples.demo;

import java.util.List;

/**
 * The words of the LiT demo: the caption templates and class names the models train on, and for
 * each Fashion-MNIST class names and descriptions that no training caption uses (no word of any
 * class name appears in them), the test of whether a text tower knows language it was never shown
 * here. Zero-shot prompts put either kind of name in the same templates, averaged per class.
 */
public final class FashionPrompts {
    /** Caption templates; "{}" takes a noun phrase with its article ("a sneaker", "running shoes"). */
    public static final List<String> TEMPLATES = List.of(
            "a photo of {}", "a picture of {}", "a black and white photo of {}", "a low resolution photo of {}",
            "an image of {}", "a product photo of {}", "a close-up photo of {}", "{}");

    /** Fashion-MNIST's class names as the training captions use them, in label order. */
    public static final List<String> CLASS_NAMES = List.of(
            "a t-shirt or top", "a trouser", "a pullover", "a dress", "a coat", "a sandal", "a shirt", "a sneaker", "a bag", "an ankle boot");

    /** Never-seen names and descriptions of each class, in label order (T-shirt/top … Ankle boot). */
    public static final List<List<String>> UNSEEN_NAMES = List.of(
            List.of("a tee", "a short-sleeved tee", "a crew-neck jersey", "a sleeveless singlet"),
            List.of("a pair of pants", "jeans", "slacks", "leggings"),
            List.of("a sweater", "a jumper", "a knitted sweatshirt", "a woolly cardigan"),
            List.of("a gown", "a frock", "an evening gown", "a ball gown"),
            List.of("a jacket", "a parka", "an anorak", "a winter blazer"),
            List.of("flip-flops", "open-toed summer shoes", "strappy beach footwear"),
            List.of("a blouse", "a button-down", "a collared flannel"),
            List.of("running shoes", "trainers", "athletic footwear", "tennis shoes"),
            List.of("a handbag", "a purse", "a tote", "a backpack"),
            List.of("a bootie", "a wellington", "a short heeled winter shoe"));

    private FashionPrompts() {}

    /** The zero-shot prompts of the training names: every template with the class name in it, one list per class. */
    public static List<List<String>> seen() {
        return prompts(CLASS_NAMES.stream().map(List::of).toList());
    }

    /** The zero-shot prompts of the unseen names: every template with every unseen name of the class, one list per class. */
    public static List<List<String>> unseen() {
        return prompts(UNSEEN_NAMES);
    }

    private static List<List<String>> prompts(List<List<String>> namesPerClass) {
        return namesPerClass.stream().map(names -> names.stream()
                .flatMap(n -> TEMPLATES.stream().map(t -> t.replace("{}", n))).toList()).toList();
    }
}
