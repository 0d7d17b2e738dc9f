package dev.vireo.examples.lessons;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A graded lesson: one file that runs in seconds, prints what it shows, and checks its own outcome.
 * {@link #run} returns false when the outcome misses its target; {@code main} then exits non-zero.
 */
public interface Lesson {

    /** What a lesson is given: where to print, where to write pictures, and whether to run short. */
    record Context(PrintStream out, Path outputDir, boolean quick) {
        /** Prints a check's outcome as "[ok]" or "[FAILED]" and returns whether it passed. */
        public boolean check(String what, boolean passed) {
            out.println((passed ? "  [ok] " : "  [FAILED] ") + what);
            return passed;
        }

        /** A file in the output folder, creating the folder. */
        public Path file(String name) throws IOException {
            Files.createDirectories(outputDir);
            return outputDir.resolve(name);
        }
    }

    /** Runs the lesson; true when its check passed. */
    boolean run(Context ctx) throws Exception;

    /** Runs a lesson from its {@code main}: {@code --quick} for the short mode, {@code --out DIR} for files. */
    static void main(Lesson lesson, String[] args) throws Exception {
        boolean quick = false;
        Path out = Path.of("runs", "lessons");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) quick = true;
            else if (args[i].equals("--out") && i + 1 < args.length) out = Path.of(args[++i]);
        }
        boolean ok = lesson.run(new Context(System.out, out, quick));
        System.out.println(ok ? "\nLesson passed." : "\nLesson FAILED its check.");
        System.exit(ok ? 0 : 1);
    }
}
