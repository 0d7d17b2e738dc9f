package dev.vireo.examples.cli;

import dev.vireo.examples.data.DataFetcher;
import dev.vireo.examples.demo.LitDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code vireo demo lit}: LiT with the locked MiniLM against a from-scratch text tower on Fashion-MNIST, seen and unseen names. */
@Command(name = "lit", description = {"LiT on Fashion-MNIST: an image tower meets the locked MiniLM text tower; zero-shot with seen and",
        "never-seen class names against the same image tower with a text tower from scratch (fetches Fashion-MNIST and MiniLM once)"})
final class LitDemoCommand implements Callable<Integer> {
    @Option(names = "--steps", paramLabel = "N", description = "training steps of each model (default: 100 with --quick, else the demo's)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", description = "batch size (default: the demo's)")
    Integer batch;

    @Option(names = "--lr", paramLabel = "X", description = "peak learning rate (default: the demo's)")
    Double lr;

    @Option(names = "--train-images", paramLabel = "N", description = "training images (default: 5000 with --quick, else all 60,000)")
    Integer trainImages;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--out", paramLabel = "DIR", description = "the run folder (default: runs/demo-lit-TIMESTAMP)")
    Path out;

    @Option(names = "--quick", description = "a short run, to see it work")
    boolean quick;

    @Option(names = "--offline", description = "refuse instead of fetching Fashion-MNIST and MiniLM when they are not in the data folder")
    boolean offline;

    @Mixin
    Mixins.DataDir dataDir;

    @Override
    public Integer call() throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = this.out != null ? this.out : Path.of("runs/demo-lit-" + stamp);
        LitDemo.Settings d = LitDemo.defaults(out);
        LitDemo.Settings s = new LitDemo.Settings(steps != null ? steps : quick ? 100 : d.steps(), batch != null ? batch : d.batch(),
                lr != null ? lr : d.lr(), trainImages != null ? trainImages : quick ? 5000 : d.trainImages(), seed, out);
        if (!offline) {
            DataFetcher fetcher = new DataFetcher(dataDir.dir, System.err);
            for (String name : new String[] {"fashion-mnist", "minilm"}) {
                if (!fetcher.isPresent(name)) fetcher.fetch(name); // once; progress on stderr
            }
        }
        LitDemo.Outcome o = LitDemo.run(s, dataDir.dir, System.out);
        System.out.printf("%nZero-shot top-1 on the 10,000 test images   seen names   unseen names%n");
        System.out.printf("  LiT (MiniLM locked)                       %6.1f%%      %6.1f%%%n", 100 * o.lit().seenNames(), 100 * o.lit().unseenNames());
        System.out.printf("  text tower from scratch                   %6.1f%%      %6.1f%%%n",
                100 * o.scratchText().seenNames(), 100 * o.scratchText().unseenNames());
        System.out.printf("  (an image tower that hit its class's training prompts exactly: %.0f%% with the unseen names)%n",
                100 * o.matchedPromptCeiling());
        System.out.printf("%nDone in %.1f s. Run folder: %s%n", o.seconds(), o.runDir().toAbsolutePath());
        System.out.println("  metrics.json, unseen_names.json, loss.png, lit/ and scratch_text/ (each a training run folder)");
        return 0;
    }
}
