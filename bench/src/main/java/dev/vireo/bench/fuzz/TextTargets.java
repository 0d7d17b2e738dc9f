package dev.vireo.bench.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.text.ByteLevel;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokenizer files: WordPiece vocab.txt and Hugging Face tokenizer.json, and CLIP's byte-level BPE
 * vocab.json + merges.txt. Each loaded tokenizer then tokenizes, frames and decodes a few sentences,
 * so the vocabulary it parsed is used as well as read.
 */
final class TextTargets {
    static final List<String> SENTENCES = List.of("The cats sat on a mat, abab.", "A photo of a dog running on the beach!",
            "Two [MASK] playing near the table; naïve café — 日本の猫 «quoted»", "don't STOP", "");

    private TextTargets() {}

    static List<FuzzTarget> all(Path scratch) throws IOException {
        Path file = scratch.resolve("input"), vocabJson = scratch.resolve("vocab.json"), mergesTxt = scratch.resolve("merges.txt");
        byte[][] bpe = clipBpeFiles();
        return List.of(
                new FuzzTarget("vocab-txt", List.of(DataTargets.utf8(String.join("\n", "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat",
                        "##s", "sat", "on", "mat", "a", "##b", ",", ".", "dog", "photo", "of"))), in -> {
                    Files.write(file, in);
                    use(WordPieceTokenizer.fromVocabTxt(file, true));
                }),
                new FuzzTarget("tokenizer-json", List.of(resource("/bench/fuzz_wordpiece_tokenizer.json")), in -> {
                    Path json = scratch.resolve("tokenizer.json");
                    Files.write(json, in);
                    use(WordPieceTokenizer.fromTokenizerJson(json));
                }),
                // two files, one mutated per input: an input that starts with '{' is vocab.json (beside the seed's
                // merges.txt), any other is merges.txt (beside the seed's vocab.json); the seeds alternate
                new FuzzTarget("clip-bpe-vocab", List.of(bpe[0], bpe[1]), in -> {
                    boolean vocab = in.length > 0 && in[0] == '{';
                    Files.write(vocabJson, vocab ? in : bpe[0]);
                    Files.write(mergesTxt, vocab ? bpe[1] : in);
                    ClipTokenizer t = ClipTokenizer.fromHuggingFace(vocabJson, mergesTxt);
                    for (String s : SENTENCES) {
                        int[] ids = t.encode(s, ClipTokenizer.CONTEXT_LENGTH);
                        t.decodeText(ids);
                    }
                    t.batch(SENTENCES, 16);
                }));
    }

    /** Tokenizes and decodes each sentence, frames a pair and a padded batch; rows at most 64 long, as a model's positions bound them. */
    private static void use(WordPieceTokenizer t) {
        for (String s : SENTENCES) t.decode(t.tokenize(s));
        int length = Math.min(t.maxLength(), 64);
        if (length >= 3) t.decode(t.encodePair(SENTENCES.get(0), SENTENCES.get(1), length).ids());
        t.batch(SENTENCES, length, false);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TextTargets.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("bench fuzz: " + name + " is not on the class path");
            return in.readAllBytes();
        }
    }

    /**
     * A cut-down CLIP vocabulary as Hugging Face saves it: vocab.json with the 256 byte symbols, their
     * '</w>' forms, one token per merge and the two special tokens; merges.txt with a '#version' line
     * and merges that build a few words of {@link #SENTENCES}.
     */
    static byte[][] clipBpeFiles() throws IOException {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 256; i++) tokens.add(String.valueOf(ByteLevel.charOf(ByteLevel.byteAt(i))));
        for (int i = 0; i < 256; i++) tokens.add(ByteLevel.charOf(ByteLevel.byteAt(i)) + "</w>");
        List<String> merges = List.of("t h", "th e</w>", "o n</w>", "o f</w>", "a t</w>", "c at</w>", "d o", "do g</w>", "p h",
                "ph o", "pho t", "phot o</w>", "r u", "ru n", "run n", "runn i", "runni n", "runnin g</w>", "m at</w>", "s at</w>",
                "Ã ¯", "n a", "na Ã¯");
        for (String m : merges) tokens.add(m.replace(" ", ""));
        tokens.add("<|startoftext|>");
        tokens.add("<|endoftext|>");
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String t : tokens) if (vocab.putIfAbsent(t, vocab.size()) != null) throw new IllegalStateException("token " + t + " twice");
        byte[] vocabJson = new ObjectMapper().writeValueAsBytes(vocab);
        byte[] mergesTxt = ("#version: 0.2\n" + String.join("\n", merges) + "\n").getBytes(StandardCharsets.UTF_8);
        return new byte[][] {vocabJson, mergesTxt};
    }
}
