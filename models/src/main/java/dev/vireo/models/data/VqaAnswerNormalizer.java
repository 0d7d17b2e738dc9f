package dev.vireo.models.data;

import dev.vireo.models.text.PythonWhitespace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * VQA answer normalisation exactly as the official evaluation does it (GT-Vision-Lab/VQA,
 * {@code PythonEvaluationTools/vqaEvaluation/vqaEval.py}: {@code processPunctuation} then
 * {@code processDigitArticle}), quirks included:
 * <ul>
 *   <li>punctuation: each of {@code ; / [ ] " { } ( ) = + \ _ - > < @ ` , ? !} is deleted when the
 *       original answer has it next to a space (either side) or has a comma between digits anywhere,
 *       otherwise replaced by a space; {@code ' : . * # $ % & ~ ^ |} are not in the list;</li>
 *   <li>periods not followed by a digit are deleted ({@code 2.5} keeps its), but only the first 32:
 *       the reference passes {@code re.UNICODE} (32) where {@code re.sub} takes its count;</li>
 *   <li>then lower case, words cut at whitespace, number words zero..ten and "none" become digits,
 *       articles a/an/the are dropped, and apostrophe-less contractions get their apostrophe
 *       ({@code dont → don't}) from the reference's table (its capitalised keys never match).</li>
 * </ul>
 * Where the official evaluation applies it (only when the ten human answers are not all the same)
 * is {@code VqaAccuracy}'s business; {@link #normalize} is what vocabularies of answers use.
 */
public final class VqaAnswerNormalizer {
    private static final String[] PUNCTUATION = {";", "/", "[", "]", "\"", "{", "}", "(", ")", "=", "+", "\\", "_", "-",
            ">", "<", "@", "`", ",", "?", "!"};
    private static final Pattern COMMA_BETWEEN_DIGITS = Pattern.compile("\\d,\\d", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern PERIOD_NOT_BEFORE_DIGIT = Pattern.compile("\\.(?!\\d)", Pattern.UNICODE_CHARACTER_CLASS);
    /** The reference's {@code re.UNICODE}, passed as {@code re.sub}'s count. */
    private static final int PERIODS_REMOVED = 32;
    private static final Set<String> ARTICLES = Set.of("a", "an", "the");
    private static final Map<String, String> NUMBERS = Map.ofEntries(Map.entry("none", "0"), Map.entry("zero", "0"),
            Map.entry("one", "1"), Map.entry("two", "2"), Map.entry("three", "3"), Map.entry("four", "4"), Map.entry("five", "5"),
            Map.entry("six", "6"), Map.entry("seven", "7"), Map.entry("eight", "8"), Map.entry("nine", "9"), Map.entry("ten", "10"));
    private static final Map<String, String> CONTRACTIONS = contractions();

    private VqaAnswerNormalizer() {}

    /** What the evaluation does to every answer first: newlines and tabs become spaces, then Python's {@code strip()}. */
    public static String clean(String answer) {
        return PythonWhitespace.strip(answer.replace('\n', ' ').replace('\t', ' '));
    }

    /** {@code processDigitArticle(processPunctuation(answer))}: the normalised form. */
    public static String normalize(String answer) {
        return digitsAndArticles(punctuation(answer));
    }

    /** The reference's {@code processPunctuation}. */
    public static String punctuation(String in) {
        String out = in;
        boolean commaNumber = COMMA_BETWEEN_DIGITS.matcher(in).find();
        for (String p : PUNCTUATION) {
            if (in.indexOf(p.charAt(0)) < 0) continue; // absent from the input, so from the output too: replacing it changes nothing
            boolean delete = in.contains(p + " ") || in.contains(" " + p) || commaNumber;
            out = out.replace(p, delete ? "" : " ");
        }
        if (out.indexOf('.') < 0) return out;
        StringBuilder s = new StringBuilder(out.length());
        Matcher period = PERIOD_NOT_BEFORE_DIGIT.matcher(out);
        int from = 0;
        for (int removed = 0; removed < PERIODS_REMOVED && period.find(); removed++) {
            s.append(out, from, period.start());
            from = period.end();
        }
        return s.append(out, from, out.length()).toString();
    }

    /** The reference's {@code processDigitArticle}. */
    public static String digitsAndArticles(String in) {
        List<String> words = new ArrayList<>();
        for (String word : PythonWhitespace.split(in.toLowerCase(Locale.ROOT))) {
            word = NUMBERS.getOrDefault(word, word);
            if (!ARTICLES.contains(word)) words.add(CONTRACTIONS.getOrDefault(word, word));
        }
        return String.join(" ", words);
    }

    /** The reference's contraction table, key and value in turn, as it spells them. */
    private static Map<String, String> contractions() {
        String[] pairs = {
                "aint", "ain't", "arent", "aren't", "cant", "can't", "couldve", "could've", "couldnt", "couldn't",
                "couldn'tve", "couldn't've", "couldnt've", "couldn't've", "didnt", "didn't", "doesnt", "doesn't", "dont", "don't",
                "hadnt", "hadn't", "hadnt've", "hadn't've", "hadn'tve", "hadn't've", "hasnt", "hasn't", "havent", "haven't",
                "hed", "he'd", "hed've", "he'd've", "he'dve", "he'd've", "hes", "he's", "howd", "how'd", "howll", "how'll",
                "hows", "how's", "Id've", "I'd've", "I'dve", "I'd've", "Im", "I'm", "Ive", "I've", "isnt", "isn't", "itd", "it'd",
                "itd've", "it'd've", "it'dve", "it'd've", "itll", "it'll", "let's", "let's", "maam", "ma'am", "mightnt", "mightn't",
                "mightnt've", "mightn't've", "mightn'tve", "mightn't've", "mightve", "might've", "mustnt", "mustn't",
                "mustve", "must've", "neednt", "needn't", "notve", "not've", "oclock", "o'clock", "oughtnt", "oughtn't",
                "ow's'at", "'ow's'at", "'ows'at", "'ow's'at", "'ow'sat", "'ow's'at", "shant", "shan't", "shed've", "she'd've",
                "she'dve", "she'd've", "she's", "she's", "shouldve", "should've", "shouldnt", "shouldn't", "shouldnt've", "shouldn't've",
                "shouldn'tve", "shouldn't've", "somebody'd", "somebodyd", "somebodyd've", "somebody'd've", "somebody'dve", "somebody'd've",
                "somebodyll", "somebody'll", "somebodys", "somebody's", "someoned", "someone'd", "someoned've", "someone'd've",
                "someone'dve", "someone'd've", "someonell", "someone'll", "someones", "someone's", "somethingd", "something'd",
                "somethingd've", "something'd've", "something'dve", "something'd've", "somethingll", "something'll", "thats", "that's",
                "thered", "there'd", "thered've", "there'd've", "there'dve", "there'd've", "therere", "there're", "theres", "there's",
                "theyd", "they'd", "theyd've", "they'd've", "they'dve", "they'd've", "theyll", "they'll", "theyre", "they're",
                "theyve", "they've", "twas", "'twas", "wasnt", "wasn't", "wed've", "we'd've", "we'dve", "we'd've", "weve", "we've",
                "werent", "weren't", "whatll", "what'll", "whatre", "what're", "whats", "what's", "whatve", "what've",
                "whens", "when's", "whered", "where'd", "wheres", "where's", "whereve", "where've", "whod", "who'd",
                "whod've", "who'd've", "who'dve", "who'd've", "wholl", "who'll", "whos", "who's", "whove", "who've", "whyll", "why'll",
                "whyre", "why're", "whys", "why's", "wont", "won't", "wouldve", "would've", "wouldnt", "wouldn't",
                "wouldnt've", "wouldn't've", "wouldn'tve", "wouldn't've", "yall", "y'all", "yall'll", "y'all'll", "y'allll", "y'all'll",
                "yall'd've", "y'all'd've", "y'alld've", "y'all'd've", "y'all'dve", "y'all'd've", "youd", "you'd", "youd've", "you'd've",
                "you'dve", "you'd've", "youll", "you'll", "youre", "you're", "youve", "you've"};
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
        return Map.copyOf(map);
    }
}
