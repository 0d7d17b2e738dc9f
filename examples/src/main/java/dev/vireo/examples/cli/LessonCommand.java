package dev.vireo.examples.cli;

import dev.vireo.examples.course.Lessons;
import dev.vireo.examples.lessons.Lesson;
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

/** {@code vireo lesson list} and {@code vireo lesson NAME}: the graded lessons. */
@Command(name = "lesson", description = "list the lessons or run one (vireo lesson list, vireo lesson B01Tensors)")
final class LessonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", completionCandidates = Names.class,
            description = "list, or the lesson to run (case-insensitive, with or without its number: B01Tensors, tensors, B01)")
    String name;

    @Option(names = "--quick", description = "a shorter run")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/lessons", description = "where lessons write files (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (name.equals("list")) {
            for (Lessons.Entry e : Lessons.all()) System.out.printf("%-26s %-13s %s%n", e.name(), e.level(), e.summary());
            return 0;
        }
        Lessons.Entry entry = Lessons.find(name)
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "no lesson '" + name + "'; vireo lesson list names them"));
        System.out.println("== " + entry.name() + " (" + entry.level() + "): " + entry.summary() + "\n");
        boolean ok = entry.factory().get().run(new Lesson.Context(System.out, out, quick));
        System.out.println(ok ? "\nLesson passed." : "\nLesson FAILED its check.");
        return ok ? 0 : 1;
    }

    /** What completion offers: list and the lesson names. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Stream.concat(Stream.of("list"), Lessons.all().stream().map(Lessons.Entry::name)).iterator();
        }
    }
}
