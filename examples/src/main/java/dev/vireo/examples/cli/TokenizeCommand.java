package dev.vireo.examples.cli;

import dev.vireo.models.SentenceEncoder;
import dev.vireo.models.text.ClipTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vireo tokenize}: CLIP BPE ids with start and end tokens, unpadded, truncated to the context
 * length keeping the end token last. With {@code --model DIR} the folder's {@code vocab.json} and
 * {@code merges.txt} are used when present; otherwise the bundled OpenAI vocabulary. A text model
 * ({@code minilm}, a sentence-transformers/BERT folder) gives its WordPiece ids with [CLS] and [SEP],
 * truncated as the model truncates them.
 */
@Command(name = "tokenize", description = "token ids of texts: CLIP BPE with start and end tokens, or a text model's WordPiece with [CLS] and [SEP]")
final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "M",
            description = "a CLIP folder whose vocab.json, merges.txt and context length to use,"
                    + " or a text model: minilm (fetched on first use), a sentence-transformers/BERT folder or .onnx file")
    Path model;

    @Option(names = {"--max-length", "--context"}, paramLabel = "N",
            description = "truncate at N tokens, the start and end tokens included (default: the model's; "
                    + ClipTokenizer.CONTEXT_LENGTH + " for CLIP, 256 for minilm)")
    Integer context;

    @Option(names = "--text", required = true, paramLabel = "STRING", arity = "1..*", description = "texts to tokenize (repeatable)")
    List<String> texts;

    @Option(names = "--json", description = "print the ids as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path path = model == null ? null : TextModels.resolve(model);
        List<int[]> ids = path != null && TextModels.isTextModel(path) ? wordPieces(path) : clipTokens(path);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ids", ids);
            System.out.println(Json.write(out));
        } else {
            for (int i = 0; i < texts.size(); i++) System.out.println(texts.get(i) + "\t" + Arrays.toString(ids.get(i)));
        }
        return 0;
    }

    private List<int[]> wordPieces(Path path) throws Exception {
        try (SentenceEncoder encoder = TextModels.load(path, context)) {
            return List.of(encoder.tokenize(texts));
        }
    }

    private List<int[]> clipTokens(Path dir) throws Exception {
        ClipTokenizer tokenizer = ClipTokenizer.openai();
        int context = this.context != null ? this.context : ClipTokenizer.CONTEXT_LENGTH;
        if (dir != null) {
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is neither a CLIP folder nor a text model");
            Path vocab = dir.resolve("vocab.json"), merges = dir.resolve("merges.txt");
            if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) tokenizer = ClipTokenizer.fromHuggingFace(vocab, merges);
            if (this.context == null) context = ModelFolders.contextLength(dir, context);
        }
        List<int[]> ids = new ArrayList<>();
        for (String t : texts) {
            int[] padded = tokenizer.encode(t, context);
            int end = 0;
            while (end < padded.length && padded[end] != tokenizer.endId()) end++;
            ids.add(Arrays.copyOf(padded, Math.min(end + 1, padded.length)));
        }
        return ids;
    }
}
