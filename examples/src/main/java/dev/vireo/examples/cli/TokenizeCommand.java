package dev.vireo.examples.cli;

import dev.vireo.models.text.ClipTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code vireo tokenize}: CLIP BPE ids with start and end tokens, unpadded, truncated to the context
 * length keeping the end token last. With {@code --model DIR} the folder's {@code vocab.json} and
 * {@code merges.txt} are used when present; otherwise the bundled OpenAI vocabulary.
 */
final class TokenizeCommand implements Command {
    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String summary() {
        return "CLIP BPE token ids of texts, with start and end tokens";
    }

    @Override
    public String usage() {
        return "vireo tokenize [--model DIR] [--context N] --text STRING [--text STRING ...] [--json]";
    }

    @Override
    public int run(List<String> argList) throws Exception {
        Args a = Args.parse(argList, Set.of("json"), Set.of("model", "text", "context"));
        List<String> texts = a.values("text");
        if (texts.isEmpty()) throw new UsageException("give at least one --text");
        ClipTokenizer tokenizer = ClipTokenizer.openai();
        int context = a.intValue("context", ClipTokenizer.CONTEXT_LENGTH);
        String model = a.value("model", null);
        if (model != null) {
            Path dir = Path.of(model);
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException("model folder " + dir + " does not exist");
            Path vocab = dir.resolve("vocab.json"), merges = dir.resolve("merges.txt");
            if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) tokenizer = ClipTokenizer.fromHuggingFace(vocab, merges);
            if (a.value("context", null) == null) context = ModelFolders.contextLength(dir, context);
        }
        List<int[]> ids = new ArrayList<>();
        for (String t : texts) {
            int[] padded = tokenizer.encode(t, context);
            int end = 0;
            while (end < padded.length && padded[end] != tokenizer.endId()) end++;
            ids.add(java.util.Arrays.copyOf(padded, Math.min(end + 1, padded.length)));
        }
        if (a.flag("json")) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ids", ids);
            System.out.println(Json.write(out));
        } else {
            for (int i = 0; i < texts.size(); i++) System.out.println(texts.get(i) + "\t" + java.util.Arrays.toString(ids.get(i)));
        }
        return 0;
    }
}
