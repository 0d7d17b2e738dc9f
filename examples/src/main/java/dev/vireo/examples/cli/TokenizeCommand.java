package dev.vireo.examples.cli;

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
 * {@code merges.txt} are used when present; otherwise the bundled OpenAI vocabulary.
 */
@Command(name = "tokenize", description = "CLIP BPE token ids of texts, with start and end tokens")
final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "a model folder whose vocab.json, merges.txt and context length to use")
    Path model;

    @Option(names = "--context", paramLabel = "N",
            description = "the context length to truncate to (default: the model folder's, else " + ClipTokenizer.CONTEXT_LENGTH + ")")
    Integer context;

    @Option(names = "--text", required = true, paramLabel = "STRING", arity = "1..*", description = "texts to tokenize (repeatable)")
    List<String> texts;

    @Option(names = "--json", description = "print the ids as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ClipTokenizer tokenizer = ClipTokenizer.openai();
        int context = this.context != null ? this.context : ClipTokenizer.CONTEXT_LENGTH;
        if (model != null) {
            Path dir = model;
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException("model folder " + dir + " does not exist");
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
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ids", ids);
            System.out.println(Json.write(out));
        } else {
            for (int i = 0; i < texts.size(); i++) System.out.println(texts.get(i) + "\t" + Arrays.toString(ids.get(i)));
        }
        return 0;
    }
}
