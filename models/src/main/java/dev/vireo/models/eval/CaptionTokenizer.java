package dev.vireo.models.eval;

import dev.vireo.models.text.PythonWhitespace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tokenises a caption as the COCO caption evaluation does before scoring: Stanford CoreNLP 3.4.1's
 * {@code PTBTokenizer -preserveLines -lowerCase}, then pycocoevalcap drops the tokens in its
 * punctuation list ({@code '' ' `` ` -LRB- -RRB- -LCB- -RCB- . ? ! , : - -- ... ;}) and joins the rest
 * with single spaces. That tokenizer is a Java program no registry here serves, so this is our own
 * rendering of the Penn Treebank rules that matter for caption text:
 * <ul>
 *   <li>lower case (English locale); words cut at whitespace;</li>
 *   <li>quotes ({@code " “ ” ‘} and an opening {@code ' `}), brackets, {@code ? ! ;}, {@code ...},
 *       {@code --}, and commas and colons other than inside numbers ({@code 1,000}, {@code 10:30})
 *       become tokens of their own, which the punctuation list then drops;</li>
 *   <li>a final period is split off and dropped, except after a dotted acronym ({@code u.s.},
 *       {@code a.m.}) or one of a few abbreviations ({@code mr. mrs. ms. dr. prof. jr. sr. st. mt.
 *       vs. etc. inc. ltd.}); periods inside a word ({@code 2.5}) stay;</li>
 *   <li>clitics are split as PTB does: {@code don't → do n't}, {@code can't → ca n't},
 *       {@code it's → it 's}, {@code 're 've 'll 'd 'm}, {@code cannot → can not}, {@code gonna →
 *       gon na} (and gotta, wanna, gimme, lemme); a right single quote {@code ’} counts as an
 *       apostrophe, a trailing apostrophe ({@code dogs'}) is dropped;</li>
 *   <li>{@code $ #} before and {@code %} after a number are split off and kept; hyphens and slashes
 *       inside words stay ({@code t-shirt}, {@code black/white}), as in CoreNLP 3.4.1.</li>
 * </ul>
 * Limits: CoreNLP's lexer knows more (URLs, e-mail addresses, emoticons, a longer abbreviation
 * list, "yahoo!", SGML, Unicode normalisation of dashes and fractions), and we could not check
 * whether {@code -lowerCase} lowers its bracket escapes (the reference would then keep
 * {@code -lrb-} tokens; we drop brackets). Ordinary captions, words, numbers and punctuation,
 * come out as the reference's.
 */
public final class CaptionTokenizer {
    /** pycocoevalcap's PUNCTUATIONS, lower-cased as the tokens are. */
    private static final Set<String> PUNCTUATION = Set.of("''", "'", "``", "`", "-lrb-", "-rrb-", "-lcb-", "-rcb-",
            ".", "?", "!", ",", ":", "-", "--", "...", ";");
    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "jr", "sr", "st", "mt", "vs", "etc", "inc", "ltd");
    private static final Set<String> LEADING_CLITICS = Set.of("s", "re", "ve", "ll", "d", "m", "em", "tis", "twas", "til", "n");
    private static final Pattern ACRONYM = Pattern.compile("\\p{L}(\\.\\p{L})+\\.");

    private CaptionTokenizer() {}

    /** The caption's tokens without punctuation, joined by single spaces (empty when nothing is left). */
    public static String tokenize(String caption) {
        return String.join(" ", tokens(caption));
    }

    /** The caption's tokens without punctuation. */
    public static List<String> tokens(String caption) {
        String text = caption.toLowerCase(Locale.ENGLISH).replace('’', '\'');
        List<String> out = new ArrayList<>();
        for (String chunk : PythonWhitespace.split(separatePunctuation(text))) {
            word(chunk, out);
        }
        out.removeIf(PUNCTUATION::contains);
        return out;
    }

    /** Replaces with spaces the punctuation that is always a token of its own and always dropped. */
    private static String separatePunctuation(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean betweenDigits = i > 0 && i + 1 < text.length() && Character.isDigit(text.charAt(i - 1)) && Character.isDigit(text.charAt(i + 1));
            if (text.startsWith("...", i) || text.startsWith("--", i)) {
                s.append(' ');
                while (i + 1 < text.length() && text.charAt(i + 1) == c) i++;
            } else if ("\"“”‘()[]{}?!;".indexOf(c) >= 0 || ((c == ',' || c == ':') && !betweenDigits)) {
                s.append(' ');
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** Splits one whitespace-free chunk into tokens: quotes, final periods, currency and percent, clitics. */
    private static void word(String w, List<String> out) {
        // opening quotes: ` always, ' unless it starts a clitic ('s, 'em) or a year ('90s)
        while (!w.isEmpty() && (w.charAt(0) == '`' || (w.charAt(0) == '\'' && !leadingApostropheKept(w.substring(1))))) w = w.substring(1);
        // closing quotes and final periods, in any order ("dogs.'")
        while (true) {
            if (w.endsWith("'") && w.length() > 0) {
                w = w.substring(0, w.length() - 1);
            } else if (w.endsWith(".") && !ACRONYM.matcher(w).matches() && !ABBREVIATIONS.contains(w.substring(0, w.length() - 1))) {
                w = w.substring(0, w.length() - 1);
            } else {
                break;
            }
        }
        if (w.isEmpty()) return;
        if ((w.charAt(0) == '$' || w.charAt(0) == '#') && w.length() > 1 && Character.isDigit(w.charAt(1))) {
            out.add(w.substring(0, 1));
            w = w.substring(1);
        }
        if (w.length() > 1 && w.endsWith("%") && Character.isDigit(w.charAt(w.length() - 2))) {
            clitics(w.substring(0, w.length() - 1), out);
            out.add("%");
            return;
        }
        clitics(w, out);
    }

    private static boolean leadingApostropheKept(String rest) {
        return LEADING_CLITICS.contains(rest) || (!rest.isEmpty() && Character.isDigit(rest.charAt(0)));
    }

    /** PTB's clitic splits: n't, 's 'm 'd, 're 've 'll, and the fused words cannot, gonna, gotta, wanna, gimme, lemme. */
    private static void clitics(String w, List<String> out) {
        switch (w) {
            case "cannot" -> { out.add("can"); out.add("not"); return; }
            case "gonna", "gotta", "wanna", "gimme", "lemme" -> { out.add(w.substring(0, 3)); out.add(w.substring(3)); return; }
            default -> { }
        }
        String[] suffixes = {"n't", "'re", "'ve", "'ll", "'s", "'m", "'d"};
        for (String suffix : suffixes) {
            if (w.length() > suffix.length() && w.endsWith(suffix)) {
                out.add(w.substring(0, w.length() - suffix.length()));
                out.add(suffix);
                return;
            }
        }
        out.add(w);
    }
}
