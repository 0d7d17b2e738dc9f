package dev.vireo.models.eval;

import dev.vireo.models.text.PythonWhitespace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tokenises a caption as the COCO caption evaluation does before scoring: Stanford CoreNLP 3.4.1's
 * {@code PTBTokenizer -preserveLines -lowerCase}, then pycocoevalcap drops the tokens in its
 * punctuation list ({@code '' ' `` ` -LRB- -RRB- -LCB- -RCB- . ? ! , : - -- ... ;}) and joins the rest
 * with single spaces. That tokenizer is a Java lexer (JFlex, case-blind) that no registry here serves;
 * this is our rendering of its rules that matter for caption text, checked against the real one
 * (built from CoreNLP's v3.4.1 sources) in {@code CaptionTokenizerParityTest}:
 * <ul>
 *   <li>lower case (English locale); words cut at whitespace;</li>
 *   <li>quotes ({@code " “ ” ‘ `} and an opening {@code '}), ellipses, dashes, and commas, colons and
 *       semicolons other than inside numbers ({@code 1,000}, {@code 10:30}) become tokens the list
 *       drops; a lone {@code ?} or {@code !} too, but a run such as {@code ?!} or {@code !!!} stays;</li>
 *   <li>brackets become {@code -lrb- -rrb- -lcb- -rcb- -lsb- -rsb-}, and stay: pycocoevalcap's list
 *       holds them in upper case, the tokenizer writes them in lower case;</li>
 *   <li>a final period is split off and dropped, except after an acronym or single letter
 *       ({@code u.s.}, {@code p.m.}, {@code a.}), one of PTB's abbreviations (titles, months, days,
 *       states, company words, {@code etc.}), or {@code no. fig. art.}... before a number; periods
 *       inside a word ({@code 2.5}, {@code cat.a}) stay;</li>
 *   <li>clitics are split as PTB does: {@code don't → do n't}, {@code can't → ca n't},
 *       {@code it's → it 's}, {@code 're 've 'll 'd 'm}, {@code cannot → can not}, {@code gonna →
 *       gon na} (and gotta, wanna, gimme, lemme), {@code rock'n'roll → rock 'n' roll}; a right single
 *       quote {@code ’} counts as an apostrophe; a trailing apostrophe ({@code dogs'}) is dropped;</li>
 *   <li>{@code $ #} before and {@code %} after a number are split off and kept, a number with a
 *       separator is split from letters after it ({@code 5:45pm → 5:45 pm}, while {@code 5pm} stays);
 *       hyphens and slashes inside words stay ({@code t-shirt}, {@code black/white}), hyphens at a
 *       word's ends go; a smiley is one token ({@code :) → :-rrb-}).</li>
 * </ul>
 * Limits: the lexer knows more (URLs and e-mail addresses with punctuation next to them, SGML,
 * phone numbers, {@code AT&T}-like words, symbols such as {@code +} split from letters, fractions
 * with a space, the sentence-final period after an acronym or abbreviation before a capital, which
 * the list drops anyway); the parity test lists the captions where we are known to differ.
 */
public final class CaptionTokenizer {
    /** pycocoevalcap's PUNCTUATIONS. Its bracket escapes are upper case and the tokens lower case, so brackets stay. */
    private static final Set<String> PUNCTUATION = Set.of("''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-",
            ".", "?", "!", ",", ":", "-", "--", "...", ";");
    /** Words PTB keeps with their final period (its ABBREV1, ABBREV2 and ABBREV4 lists; its lexer is case-blind). */
    private static final Set<String> ABBREVIATIONS = Set.of(
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
            "mon", "tue", "tues", "wed", "thu", "thurs", "fri",
            "ala", "ariz", "az", "ark", "calif", "colo", "conn", "ct", "dak", "del", "fla", "ga", "ill", "ind", "kan", "kans", "ky",
            "la", "mass", "md", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "penn", "tenn", "tex", "va",
            "vt", "wash", "wis", "wisc", "wyo",
            "inc", "co", "cos", "corp", "pty", "ptys", "pte", "ptes", "ppty", "pptys", "ppte", "pptes", "ltd", "plc", "rt", "bancorp",
            "bhd", "assn", "univ", "intl", "sys", "tel", "est", "ext", "sq", "jr", "sr", "bros", "ed.d", "ph.d", "blvd", "rd", "esq",
            "etc", "al", "seq", "bldg",
            "mr", "mrs", "ms", "dr", "drs", "prof", "profs", "sen", "sens", "rep", "reps", "atty", "attys", "lt", "col", "gen",
            "messrs", "gov", "govs", "adm", "rev", "maj", "sgt", "cpl", "pvt", "capt", "st", "ste", "ave", "pres", "lieut", "hon",
            "brig", "cmdr", "comdr", "pfc", "spc", "supt", "supts", "det", "mt", "ft", "adj", "adv", "asst", "assoc", "ens", "insp",
            "mlle", "mme", "msgr", "sfc", "vs", "alex", "wm", "jos", "cie", "a.k.a", "cf", "treas", "ph", "invt", "elec", "natl",
            "mfg", "mtg", "dept");
    /** PTB's ABBREV3: kept with the period only before a number ("no. 5", but "no ." otherwise). */
    private static final Set<String> ABBREVIATIONS_BEFORE_NUMBER = Set.of("ca", "fig", "figs", "prop", "no", "nos", "art", "bldg", "pp", "op");
    private static final Set<String> LEADING_CLITICS = Set.of("s", "re", "ve", "ll", "d", "m", "em", "tis", "twas", "til", "till", "n", "n'", "cause");
    /** A letter, or letters joined by periods, then a period: u.s. d.c. p.m. a. (PTB's ACRONYM and ACRO, ASCII letters). */
    private static final Pattern ACRONYM = Pattern.compile("[a-z](\\.[a-z])*\\.");
    /** A number with a separator (PTB's NUMBER) and the letters right after it: 5:45pm, 3.5mm. */
    private static final Pattern NUMBER_THEN_LETTERS = Pattern.compile("([+-]?\\d*(?:[.:,]\\d+)+)(\\p{L}+)");
    /** A word ending in two or more periods. */
    private static final Pattern TRAILING_PERIODS = Pattern.compile("(.*[^.])\\.{2,}");
    /** PTB's SMILEY: :) ;-) :( =D ... (its brackets are escaped like the others). */
    private static final Pattern SMILEY = Pattern.compile("[<>]?[:;=][-o*']?[()dpo\\\\{@|\\[\\]]");

    /** A whole number and a fraction (PTB's FRAC), one token when a space parts them. */
    private static final Pattern WHOLE = Pattern.compile("[$#]?\\d{1,4}");
    private static final Pattern FRACTION = Pattern.compile("\\d{1,4}/\\d{1,4}(?![\\d/])");
    /** Bracket escapes, as the tokenizer writes them with -lowerCase. */
    private static final Set<String> BRACKETS = Set.of("-lrb-", "-rrb-", "-lcb-", "-rcb-", "-lsb-", "-rsb-");
    /** Clitics PTB splits off the end of a word. */
    private static final String[] SUFFIXES = {"n't", "'re", "'ve", "'ll", "'s", "'m", "'d"};

    private CaptionTokenizer() {}

    /** The caption's tokens without punctuation, joined by single spaces (empty when nothing is left). */
    public static String tokenize(String caption) {
        return String.join(" ", tokens(caption));
    }

    /** The caption's tokens without punctuation. */
    public static List<String> tokens(String caption) {
        String text = caption.toLowerCase(Locale.ENGLISH).replace('’', '\'').replace("'n'", " 'n' ");
        List<String> chunks = mergeFractions(PythonWhitespace.split(text));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            String chunk = chunks.get(i);
            Matcher smiley = SMILEY.matcher(chunk);
            if (smiley.lookingAt() && (smiley.end() == chunk.length() || !Character.isLetterOrDigit(chunk.charAt(smiley.end())))) {
                out.add(escapeBrackets(smiley.group()));
                chunk = chunk.substring(smiley.end());
            }
            boolean numberFollows = i + 1 < chunks.size() && Character.isDigit(chunks.get(i + 1).charAt(0));
            Matcher periods = TRAILING_PERIODS.matcher(chunk);
            if (periods.matches()) { // "Mr...." is "mr." and an ellipsis, "dog...." is "dog" and one
                String stem = periods.group(1);
                chunk = keepsPeriod(stem + ".", numberFollows) ? stem + "." : stem;
            }
            int period;
            while ((period = periodBeforeComma(chunk)) >= 0) { // PTB's WORD./INSENTP: "dog.," is "dog." and ","
                pieces(chunk.substring(0, period + 1), numberFollows, true, out);
                chunk = chunk.substring(period + 1);
            }
            pieces(chunk, numberFollows, false, out);
        }
        out.removeIf(PUNCTUATION::contains);
        return out;
    }

    /** PTB's FRAC: a whole number of up to four digits and a fraction after a space are one token, joined by a no-break space ("5 3/4"). */
    private static List<String> mergeFractions(List<String> chunks) {
        List<String> out = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            String chunk = chunks.get(i);
            if (i + 1 < chunks.size() && WHOLE.matcher(chunk).matches() && FRACTION.matcher(chunks.get(i + 1)).lookingAt()) {
                chunk = chunk + '\u00A0' + chunks.get(++i);
            }
            out.add(chunk);
        }
        return out;
    }

    /** Splits what is left of a chunk at its punctuation and reads each piece as a word (the last keeping its final period if asked). */
    private static void pieces(String chunk, boolean numberFollows, boolean keepFinalPeriod, List<String> out) {
        List<String> pieces = new ArrayList<>();
        for (String piece : separatePunctuation(chunk).split(" ")) if (!piece.isEmpty()) pieces.add(piece); // not at U+00A0: "5 3/4" is one token
        for (int p = 0; p < pieces.size(); p++) {
            String piece = pieces.get(p);
            if (BRACKETS.contains(piece)) {
                out.add(piece);
            } else {
                word(piece, numberFollows, keepFinalPeriod && p == pieces.size() - 1, out);
            }
        }
    }

    /** The first period that ends a word (letters, then letters or digits) and comes right before a comma, semicolon or colon; -1 if none. */
    private static int periodBeforeComma(String chunk) {
        for (int i = 1; i + 1 < chunk.length(); i++) {
            if (chunk.charAt(i) != '.' || ",;:".indexOf(chunk.charAt(i + 1)) < 0) continue;
            int start = i;
            while (start > 0 && Character.isLetterOrDigit(chunk.charAt(start - 1))) start--;
            if (start < i && Character.isLetter(chunk.charAt(start))) return i;
        }
        return -1;
    }

    private static String escapeBrackets(String s) {
        return s.replace("(", "-lrb-").replace(")", "-rrb-").replace("{", "-lcb-").replace("}", "-rcb-")
                .replace("[", "-lsb-").replace("]", "-rsb-");
    }

    /**
     * Sets apart, with spaces, the punctuation that is always a token of its own: brackets (escaped,
     * kept), runs of ? and ! (a single one is dropped, a run such as "?!" is kept), and, dropped,
     * quotes, ellipses, dashes, and commas, colons and semicolons other than inside numbers.
     */
    private static String separatePunctuation(String text) {
        StringBuilder s = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean betweenDigits = i > 0 && i + 1 < text.length() && Character.isDigit(text.charAt(i - 1)) && Character.isDigit(text.charAt(i + 1));
            if (text.startsWith("...", i) || text.startsWith("--", i)) {
                s.append(' ');
                while (i + 1 < text.length() && text.charAt(i + 1) == c) i++;
            } else if ("()[]{}".indexOf(c) >= 0) {
                s.append(' ').append(escapeBrackets(String.valueOf(c))).append(' ');
            } else if (c == '?' || c == '!') {
                int end = i;
                while (end + 1 < text.length() && (text.charAt(end + 1) == '?' || text.charAt(end + 1) == '!')) end++;
                boolean insideWord = i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)) && end + 1 < text.length()
                        && Character.isLetter(text.charAt(end + 1)) && end == i;
                if (insideWord) {
                    s.append(c); // PTB's WORD: letters joined by . ! or ? stay one token
                } else {
                    s.append(' ').append(end > i ? text.substring(i, end + 1) : "").append(' ');
                }
                i = end;
            } else if ("\"“”‘«»\u2013\u2014\u2015;`".indexOf(c) >= 0 || ((c == ',' || c == ':') && !betweenDigits)) {
                s.append(' ');
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** Splits one piece into tokens: quotes, final periods, hyphens at the ends, currency and percent, numbers, clitics. */
    private static void word(String w, boolean numberFollows, boolean keepFinalPeriod, List<String> out) {
        if (w.equals("'n'")) {
            out.add(w);
            return;
        }
        // opening quotes: ' unless it starts a clitic ('s, 'em) or a year ('90s)
        int quotes = 0;
        while (quotes < w.length() && w.charAt(quotes) == '\'' && !leadingApostropheKept(w, quotes + 1)) quotes++;
        w = w.substring(quotes);
        // closing quotes and final periods, in any order ("dogs.'"), and hyphens at the ends ("well-", "-a"; "-5" is a number)
        while (true) {
            if (w.endsWith("'") || w.endsWith("-")) {
                w = w.substring(0, w.length() - 1);
            } else if (w.startsWith("-") && !(w.length() > 1 && Character.isDigit(w.charAt(1)))) {
                w = w.substring(1);
            } else if (w.endsWith(".") && !keepFinalPeriod && !keepsPeriod(w, numberFollows)) {
                w = w.substring(0, w.length() - 1);
            } else {
                break;
            }
        }
        if (w.isEmpty()) return;
        if ((w.charAt(0) == '$' || w.charAt(0) == '#') && w.length() > 1) {
            out.add(w.substring(0, 1));
            w = w.substring(1);
        }
        if (w.length() > 1 && w.endsWith("%") && Character.isDigit(w.charAt(w.length() - 2))) {
            clitics(w.substring(0, w.length() - 1), out);
            out.add("%");
            return;
        }
        Matcher number = NUMBER_THEN_LETTERS.matcher(w);
        if (number.matches()) {
            out.add(number.group(1));
            out.add(number.group(2));
            return;
        }
        clitics(w, out);
    }

    /** Whether PTB keeps the final period of {@code w}: an abbreviation or acronym, or ABBREV3 before a number. */
    private static boolean keepsPeriod(String w, boolean numberFollows) {
        String stem = w.substring(0, w.length() - 1);
        return ACRONYM.matcher(w).matches() || ABBREVIATIONS.contains(stem) || (numberFollows && ABBREVIATIONS_BEFORE_NUMBER.contains(stem));
    }

    /** Whether an apostrophe before {@code w}'s position {@code from} starts a clitic ('s, 'em, 'til) or a year ('90s) rather than a quote. */
    private static boolean leadingApostropheKept(String w, int from) {
        return (w.length() - from <= 6 && LEADING_CLITICS.contains(w.substring(from))) || (from < w.length() && Character.isDigit(w.charAt(from)));
    }

    /** "+" is a symbol of its own ("a+" is "a +"), except in "c++" and a leading sign of a number ("+5"); each part is then read for clitics. */
    private static void clitics(String w, List<String> out) {
        boolean signedNumber = w.length() > 1 && w.charAt(0) == '+' && Character.isDigit(w.charAt(1)) && w.indexOf('+', 1) < 0;
        if (w.equals("c++") || signedNumber || w.indexOf('+') < 0) {
            fused(w, out);
            return;
        }
        int from = 0;
        for (int i = 0; i < w.length(); i++) {
            if (w.charAt(i) != '+') continue;
            if (i > from) fused(w.substring(from, i), out);
            out.add("+");
            from = i + 1;
        }
        if (from < w.length()) fused(w.substring(from), out);
    }

    /** PTB's clitic splits, peeled from the end (we'd've → we 'd 've): n't, 's 'm 'd, 're 've 'll; y'all; cannot, gonna, gotta, wanna, gimme, lemme. */
    private static void fused(String w, List<String> out) {
        while (w.length() > 2 && w.startsWith("y'") && Character.isLetter(w.charAt(2))) {
            out.add("y'");
            w = w.substring(2);
        }
        Deque<String> clitics = new ArrayDeque<>();
        peel:
        while (true) {
            for (String suffix : SUFFIXES) {
                if (w.length() > suffix.length() && w.endsWith(suffix)) {
                    clitics.push(suffix);
                    w = w.substring(0, w.length() - suffix.length());
                    continue peel;
                }
            }
            break;
        }
        switch (w) {
            case "cannot" -> { out.add("can"); out.add("not"); }
            case "gonna", "gotta", "wanna", "gimme", "lemme" -> { out.add(w.substring(0, 3)); out.add(w.substring(3)); }
            case "'twas", "'tis" -> { out.add("'t"); out.add(w.substring(2)); }
            default -> out.add(w);
        }
        while (!clitics.isEmpty()) out.add(clitics.pop());
    }
}
