package dev.vireo.models.vqa;

import dev.vireo.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers a question answering classifier chooses from, one logit each (ViLT's {@code id2label}):
 * the most frequent answers of the training data, most frequent first (ties in alphabetical order),
 * stored in a run folder as {@value #FILE}, one answer a line.
 */
public final class AnswerVocabulary {
    /** The run folder's answer list. */
    public static final String FILE = "answers.txt";
    /** Most answers a vocabulary holds (VQA v2 classifiers keep 3,129). */
    public static final int MAX_ANSWERS = 65_536;

    private final List<String> answers;
    private final Map<String, Integer> index = new HashMap<>();

    public AnswerVocabulary(List<String> answers) {
        if (answers.isEmpty()) throw new IllegalArgumentException("answer vocabulary: no answers");
        if (answers.size() > MAX_ANSWERS) throw new IllegalArgumentException("answer vocabulary: " + answers.size() + " answers, more than " + MAX_ANSWERS);
        this.answers = List.copyOf(answers);
        for (int i = 0; i < answers.size(); i++) {
            String a = answers.get(i);
            if (a.isBlank() || a.contains("\n")) throw new IllegalArgumentException("answer vocabulary: answer " + i + " is blank or holds a line break");
            if (index.putIfAbsent(a, i) != null) throw new IllegalArgumentException("answer vocabulary: '" + a + "' appears twice");
        }
    }

    /** The {@code max} most frequent of {@code answers} (each occurrence counts once), most frequent first, ties alphabetical. */
    public static AnswerVocabulary mostFrequent(Iterable<String> answers, int max) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String a : answers) counts.merge(a, 1, Integer::sum);
        List<String> sorted = new ArrayList<>(counts.keySet());
        sorted.sort(Comparator.comparing((String a) -> -counts.get(a)).thenComparing(Comparator.naturalOrder()));
        return new AnswerVocabulary(sorted.subList(0, Math.min(max, sorted.size())));
    }

    public static AnswerVocabulary read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no answer list " + file);
        if (Files.size(file) > 16L << 20) throw new IllegalArgumentException("answer list " + file + " is larger than 16 MiB");
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isEmpty()).toList();
        try {
            return new AnswerVocabulary(lines);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, String.join("\n", answers) + "\n");
    }

    public int size() {
        return answers.size();
    }

    public String answer(int id) {
        return answers.get(id);
    }

    /** The id of {@code answer}, or -1 when it is not in the vocabulary. */
    public int id(String answer) {
        return index.getOrDefault(answer, -1);
    }

    public List<String> answers() {
        return answers;
    }
}
