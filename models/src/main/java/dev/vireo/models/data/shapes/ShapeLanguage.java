package dev.vireo.models.data.shapes;

import dev.vireo.engine.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the compositional captions and the question–answer pairs of a scene. Captions of a
 * two-shape scene name the spatial relation both ways ("a square left of a triangle", "a triangle
 * right of a square"), so a model must bind attributes to the right object to match them.
 */
final class ShapeLanguage {
    private static final String[] NUMBERS = {"zero", "one", "two", "three", "four"};

    private ShapeLanguage() {}

    /** Caption paraphrases, the most complete first. */
    static List<String> captions(List<PlacedShape> shapes) {
        List<String> out = new ArrayList<>();
        if (shapes.size() == 1) {
            PlacedShape s = shapes.getFirst();
            out.add("a " + s.phrase() + " " + s.position().phrase());
            out.add("a " + s.phrase());
            out.add("a " + s.shortPhrase());
            out.add("a picture of a " + s.phrase());
            out.add("one " + s.shortPhrase() + " " + s.position().phrase());
            return out;
        }
        PlacedShape a = shapes.get(0);
        PlacedShape b = shapes.get(1);
        boolean horizontal = a.position() == ShapePosition.LEFT;
        String before = horizontal ? "left of" : "above";
        String after = horizontal ? "right of" : "below";
        out.add("a " + a.phrase() + " " + before + " a " + b.phrase());
        out.add("a " + b.phrase() + " " + after + " a " + a.phrase());
        out.add("a " + a.phrase() + " " + before + " a " + b.shortPhrase());
        out.add(shortCaption(a, b));
        out.add("two shapes: a " + a.phrase() + " and a " + b.phrase());
        return out;
    }

    /**
     * The caption without size words, "a red circle to the left of a blue square" or "a red circle
     * above a blue square", for {@code first} in the left or top slot: the fourth paraphrase of
     * {@link #captions}, and the form whose words stay the same when attributes or places swap.
     */
    static String shortCaption(PlacedShape first, PlacedShape second) {
        boolean horizontal = first.position() == ShapePosition.LEFT;
        return "a " + first.shortPhrase() + " " + (horizontal ? "to the left of" : "above") + " a " + second.shortPhrase();
    }

    /** Questions and answers; {@code rng} picks the absent shape and colour for the "no" questions. */
    static List<QuestionAnswer> questions(List<PlacedShape> shapes, Rng rng) {
        List<QuestionAnswer> out = new ArrayList<>();
        out.add(new QuestionAnswer("how many shapes are there?", NUMBERS[shapes.size()], "count"));
        for (PlacedShape s : shapes) {
            String kind = s.kind().word();
            out.add(new QuestionAnswer("what colour is the " + kind + "?", s.colour().word(), "colour"));
            out.add(new QuestionAnswer("what size is the " + kind + "?", s.size().word(), "size"));
            out.add(new QuestionAnswer("where is the " + kind + "?", s.position().word(), "position"));
            out.add(new QuestionAnswer("what shape is the " + s.colour().word() + " thing?", kind, "shape"));
            out.add(new QuestionAnswer("is there a " + kind + "?", "yes", "exists"));
        }
        ShapeKind absentKind = pickAbsent(ShapeKind.values(), shapes.stream().map(PlacedShape::kind).toList(), rng);
        out.add(new QuestionAnswer("is there a " + absentKind.word() + "?", "no", "exists"));
        ShapeColour absentColour = pickAbsent(ShapeColour.values(), shapes.stream().map(PlacedShape::colour).toList(), rng);
        out.add(new QuestionAnswer("is there a " + absentColour.word() + " shape?", "no", "exists"));
        out.add(new QuestionAnswer("is there a " + shapes.getFirst().colour().word() + " shape?", "yes", "exists"));
        if (shapes.size() == 2) {
            PlacedShape a = shapes.get(0);
            PlacedShape b = shapes.get(1);
            boolean horizontal = a.position() == ShapePosition.LEFT;
            String before = horizontal ? "left of" : "above";
            out.add(new QuestionAnswer("what is " + before + " the " + b.kind().word() + "?", a.kind().word(), "relation"));
            out.add(new QuestionAnswer("is the " + a.kind().word() + " " + before + " the " + b.kind().word() + "?", "yes", "relation"));
            out.add(new QuestionAnswer("is the " + b.kind().word() + " " + before + " the " + a.kind().word() + "?", "no", "relation"));
        }
        return out;
    }

    private static <E> E pickAbsent(E[] all, List<E> present, Rng rng) {
        List<E> absent = new ArrayList<>();
        for (E e : all) if (!present.contains(e)) absent.add(e);
        return absent.get(rng.nextInt(absent.size()));
    }
}
