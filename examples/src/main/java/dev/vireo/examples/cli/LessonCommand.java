package dev.vireo.examples.cli;

import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.lessons.Lessons;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code vireo lesson list} and {@code vireo lesson NAME}: the graded lessons. */
final class LessonCommand implements Command {
    @Override
    public String name() {
        return "lesson";
    }

    @Override
    public String summary() {
        return "list the lessons or run one (vireo lesson list, vireo lesson L01Tensors)";
    }

    @Override
    public String usage() {
        return "vireo lesson list | vireo lesson NAME [--quick] [--out DIR]";
    }

    @Override
    public int run(List<String> argList) throws Exception {
        Args args = Args.parse(argList, Set.of("quick"), Set.of("out"));
        if (args.positional().size() != 1) throw new UsageException("give 'list' or one lesson name");
        String name = args.positional().get(0);
        if (name.equals("list")) {
            for (Lessons.Entry e : Lessons.all()) System.out.printf("%-26s %-13s %s%n", e.name(), e.level(), e.summary());
            return 0;
        }
        Lessons.Entry entry = Lessons.find(name)
                .orElseThrow(() -> new UsageException("no lesson '" + name + "' (see vireo lesson list)"));
        Path out = Path.of(args.value("out", "runs/lessons"));
        System.out.println("== " + entry.name() + " (" + entry.level() + "): " + entry.summary() + "\n");
        boolean ok = entry.factory().get().run(new Lesson.Context(System.out, out, args.flag("quick")));
        System.out.println(ok ? "\nLesson passed." : "\nLesson FAILED its check.");
        return ok ? 0 : 1;
    }
}
