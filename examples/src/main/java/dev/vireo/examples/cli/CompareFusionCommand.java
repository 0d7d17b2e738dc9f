package dev.vireo.examples.cli;

import dev.vireo.examples.demo.FusionComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vireo compare-fusion}: early, mid and late fusion on an equal budget, accuracy against cost. */
@Command(name = "compare-fusion", description = {"train early, mid and late fusion on the shapes world on an equal budget and compare",
        "matching, compositional and retrieval accuracy against cost (ms per pair, parameters): table, JSON and PNG"})
final class CompareFusionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "shapes", paramLabel = "SPEC", description = "shapes (the compositional test needs the generator's scenes)")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the table, plot and the three run folders go")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "training steps of each model (default: 40 with --quick, else 800)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--train-scenes", paramLabel = "N", description = "training scenes (default: 500 with --quick, else 4000)")
    Integer trainScenes;

    @Option(names = "--test-scenes", paramLabel = "N", description = "held-out scenes (default: 40 with --quick, else 200)")
    Integer testScenes;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--quick", description = "a short run, to see it work")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        if (!data.equals("shapes")) throw new ParameterException(spec.commandLine(), "--data must be shapes (the compositional pairs come from its generator)");
        FusionComparison.Settings s = new FusionComparison.Settings(steps != null ? steps : quick ? 40 : 800, batch,
                trainScenes != null ? trainScenes : quick ? 500 : 4000, testScenes != null ? testScenes : quick ? 40 : 200, quick ? 100 : 400, seed, out);
        List<FusionComparison.Row> rows = FusionComparison.run(s, System.out);
        System.out.println();
        System.out.print(Files.readString(out.resolve("comparison.md")));
        System.out.printf(Locale.ROOT, "%nwrote %s (comparison.md, comparison.json, comparison.png; late/, mid/, early/ run folders)%n",
                out.toAbsolutePath());
        return rows.isEmpty() ? 1 : 0;
    }
}
