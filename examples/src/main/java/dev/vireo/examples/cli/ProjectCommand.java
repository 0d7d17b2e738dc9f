package dev.vireo.examples.cli;

import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.projects.Projects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code vireo project list} and {@code vireo project NAME}: the course's assessment projects, each checking its expected outcome. */
@Command(name = "project", description = "list the course's projects or run one (vireo project list, vireo project P1ImageSearchEngine)")
final class ProjectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", completionCandidates = Names.class,
            description = "list, or the project to run (case-insensitive, with or without its number: P1ImageSearchEngine, P1)")
    String name;

    @Option(names = "--quick", description = "a small budget: shows it working, checks the mechanics, not the floors")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/projects", description = "where projects write files (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (name.equals("list")) {
            for (Projects.Entry e : Projects.all()) System.out.printf("%-24s %s%n", e.name(), e.summary());
            return 0;
        }
        Projects.Entry entry = Projects.find(name)
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "no project '" + name + "'; vireo project list names them"));
        System.out.println("== " + entry.name() + ": " + entry.summary() + "\n");
        boolean ok = entry.factory().get().run(new Lesson.Context(System.out, out, quick));
        System.out.println(ok ? "\nProject reached its expected outcome." : "\nProject MISSED its expected outcome.");
        return ok ? 0 : 1;
    }

    /** What completion offers: list and the project names. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Stream.concat(Stream.of("list"), Projects.all().stream().map(Projects.Entry::name)).iterator();
        }
    }
}
