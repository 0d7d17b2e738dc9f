package dev.vireo.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vireo bench SUITE}: runs a benchmark report from the bench module, which {@code bin/vireo}
 * puts on the class path (the examples module does not depend on it).
 */
@Command(name = "bench", description = "measure kernels and models (JSON with --json)",
        subcommands = {BenchCommand.Kernels.class, BenchCommand.Clip.class, BenchCommand.Vl.class, BenchCommand.MiniLm.class, BenchCommand.Fuzz.class,
                BenchSearchCommand.class, BenchCommand.Vectors.class, BenchCaptionCommand.class})
final class BenchCommand {
    /** What every report takes. */
    static final class Common {
        @Option(names = "--json", description = "accepted for symmetry: the report is always one JSON document on stdout")
        boolean json;

        @Option(names = "--quick", description = "shorter timings, to see it run")
        boolean quick;

        List<String> args() {
            List<String> a = new ArrayList<>();
            if (json) a.add("--json");
            if (quick) a.add("--quick");
            return a;
        }
    }

    @Command(name = "kernels", description = "the machine's FMA peak and read bandwidth, then GEMM (with its share of that peak), attention and InfoNCE at 1 and 2 threads")
    static final class Kernels implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--threads", paramLabel = "N,N", split = ",", description = "thread counts to time (default: 1,2)")
        List<Integer> threads;

        @Option(names = "--sections", paramLabel = "NAME,...", split = ",", description = "only these: machine, gemm, attention, infonce")
        List<String> sections;

        @Option(names = "--shapes", paramLabel = "MxKxN,...", split = ",", description = "GEMM shapes to time")
        List<String> shapes;

        @Override
        public Integer call() throws Exception {
            List<String> a = common.args();
            if (threads != null) a.addAll(List.of("--threads", String.join(",", threads.stream().map(String::valueOf).toList())));
            if (sections != null) a.addAll(List.of("--sections", String.join(",", sections)));
            if (shapes != null) a.addAll(List.of("--shapes", String.join(",", shapes)));
            return report("dev.vireo.bench.KernelBenchReport", a);
        }
    }

    @Command(name = "clip", description = "ViT-B/32 image and text encoding, small-CLIP training step")
    static final class Clip implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--backend", paramLabel = "NAME", description = "the backend of the inference rows: cpu (default) or tornado")
        String backend;

        @Override
        public Integer call() throws Exception {
            List<String> a = common.args();
            if (backend != null) a.addAll(List.of("--backend", backend));
            return report("dev.vireo.bench.model.ClipBenchReport", a);
        }
    }

    @Command(name = "vl", description = "vl-mid fusion pretraining step (ITC + ITM + MLM, AdamW) on shapes: samples/s and peak RSS")
    static final class Vl implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--steps", paramLabel = "N", description = "timed steps (default: 20)")
        Integer steps;

        @Option(names = "--warmup", paramLabel = "N", description = "untimed steps first, while the JIT compiles (default: 15)")
        Integer warmup;

        @Option(names = "--batch", paramLabel = "N", description = "image-text pairs per step (default: 64)")
        Integer batch;

        @Override
        public Integer call() throws Exception {
            List<String> a = common.args();
            if (steps != null) a.addAll(List.of("--steps", steps.toString()));
            if (warmup != null) a.addAll(List.of("--warmup", warmup.toString()));
            if (batch != null) a.addAll(List.of("--batch", batch.toString()));
            return report("dev.vireo.bench.model.VlTrainBench", a);
        }
    }

    @Command(name = "minilm", description = "all-MiniLM-L6-v2 sentence embeddings: batch-32 throughput and batch-1 latency")
    static final class MiniLm implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--model", paramLabel = "DIR", defaultValue = "minilm",
                description = "the model folder or name (default: ${DEFAULT-VALUE}, fetched if absent)")
        Path model;

        @Option(names = "--serve", description = "time single sentences on request instead: indices of the bench's sentences on stdin,"
                + " one JSON line of milliseconds back for each line (bench/peers/compare_minilm_paired.py drives it)")
        boolean serve;

        @Override
        public Integer call() throws Exception {
            List<String> a = common.args();
            a.addAll(List.of("--model", TextModels.resolve(model).toString()));
            if (serve) a.add("--serve");
            return report("dev.vireo.bench.text.MiniLmBenchReport", a);
        }
    }

    @Command(name = "fuzz", description = "mutated inputs against every parser of outside input: clean errors, crashes, hangs, memory")
    static final class Fuzz implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--inputs", paramLabel = "N", defaultValue = "100000", description = "inputs per parser (default: ${DEFAULT-VALUE})")
        int inputs;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "mutation seed (default: ${DEFAULT-VALUE})")
        int seed;

        @Option(names = "--targets", paramLabel = "NAME,...", split = ",",
                description = "only these: png, jpeg, gif, bmp, safetensors, checkpoint, onnx, clip-config-json, vl-config-json, blip-config, vilt-config, lit-config-json, hf-clip-config, "
                        + "bert-config-json, grounding-json, clip-preprocess-config, vocab-txt, tokenizer-json, clip-bpe-vocab, caption-csv, webdataset-tar, idx, coco-json, karpathy-json, "
                        + "caption-score-json, vqa-json")
        List<String> targets;

        @Override
        public Integer call() throws Exception {
            List<String> a = common.args();
            if (!common.quick) a.addAll(List.of("--inputs", Integer.toString(inputs)));
            a.addAll(List.of("--seed", Integer.toString(seed)));
            if (targets != null) a.addAll(List.of("--targets", String.join(",", targets)));
            return report("dev.vireo.bench.fuzz.FuzzBenchReport", a);
        }
    }

    @Command(name = "vectors", description = "the search index's vector format at scale: build time, bytes, heap, recall@10 and queries/s "
            + "(1,000,000 clustered vectors of 512 by default)")
    static final class Vectors implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--vectors", paramLabel = "N", defaultValue = "1000000", description = "vectors indexed (default: ${DEFAULT-VALUE})")
        int vectors;

        @Option(names = "--dim", paramLabel = "D", defaultValue = "512", description = "dimension (default: ${DEFAULT-VALUE})")
        int dim;

        @Option(names = "--queries", paramLabel = "N", defaultValue = "200", description = "held-out queries (default: ${DEFAULT-VALUE})")
        int queries;

        @Option(names = "--candidates", paramLabel = "N,...", split = ",",
                description = "HNSW candidates per query to time, each rescored to 10 (default: 20, 50, 100, the index's 200, 400)")
        List<Integer> candidates;

        @Option(names = "--index", paramLabel = "DIR", description = "keep the built index in DIR, or search the one already there")
        Path index;

        @Override
        public Integer call() throws Exception {
            List<String> a = common.args();
            if (!common.quick) a.addAll(List.of("--vectors", Integer.toString(vectors), "--dim", Integer.toString(dim), "--queries", Integer.toString(queries)));
            if (candidates != null) a.addAll(List.of("--candidates", String.join(",", candidates.stream().map(String::valueOf).toList())));
            if (index != null) a.addAll(List.of("--index", index.toString()));
            return report("dev.vireo.bench.search.VectorScaleReport", a);
        }
    }

    private static int report(String mainClass, List<String> args) throws Exception {
        Class<?> cls;
        try {
            cls = Class.forName(mainClass);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the bench module is not on the class path; run through bin/vireo");
        }
        Method main = cls.getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            if (e.getCause() instanceof OutOfMemoryError oom) {
                throw new IllegalStateException("out of memory (" + oom.getMessage() + "): give the JVM more heap, e.g. VIREO_JAVA_OPTS=-Xmx8g", oom);
            }
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
        return 0;
    }
}
