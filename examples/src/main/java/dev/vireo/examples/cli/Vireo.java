package dev.vireo.examples.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code vireo} command-line tool ({@code bin/vireo} runs it). Each sub-command is a
 * {@link Command}; errors are one line on stderr and a non-zero exit, with the stack trace only
 * under {@code --stacktrace}.
 */
public final class Vireo {
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        for (Command c : List.of(new DemoCommand(), new TrainCommand(), new EvalCommand(), new DataCommand(),
                new EmbedCommand(), new ZeroShotCommand(), new TokenizeCommand(), new ExportCommand(), new InfoCommand(), new LessonCommand(), new BenchCommand())) COMMANDS.put(c.name(), c);
    }

    private Vireo() {}

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Runs the tool and returns the exit code (tests call this instead of main). */
    public static int run(String... argv) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        boolean trace = args.remove("--stacktrace");
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
            printHelp();
            return args.isEmpty() ? 2 : 0;
        }
        if (args.get(0).equals("--version")) {
            System.out.println("vireo " + version());
            return 0;
        }
        Command command = COMMANDS.get(args.get(0));
        if (command == null) {
            System.err.println("vireo: unknown command '" + args.get(0) + "' (see vireo --help)");
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            System.out.println("usage: " + command.usage());
            return 0;
        }
        try {
            return command.run(rest);
        } catch (UsageException e) {
            System.err.println("vireo " + command.name() + ": " + e.getMessage());
            System.err.println("usage: " + command.usage());
            return 2;
        } catch (Exception | Error e) {
            System.err.println("vireo " + command.name() + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (trace) e.printStackTrace();
            return 1;
        }
    }

    static String version() {
        String v = Vireo.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    private static void printHelp() {
        System.out.println("vireo: pure-Java vision-language learning\n");
        System.out.println("usage: vireo COMMAND [options]   (vireo COMMAND --help for its options)\n");
        System.out.println("commands:");
        for (Command c : COMMANDS.values()) System.out.printf("  %-9s %s%n", c.name(), c.summary());
        System.out.println("\nglobal: --stacktrace prints the stack trace of an error");
        System.out.println("JVM properties (VIREO_JAVA_OPTS): -Dvireo.kernels=scalar|vector, -Dvireo.vectorBits=128|256|512, -Dvireo.threads=N");
    }
}
