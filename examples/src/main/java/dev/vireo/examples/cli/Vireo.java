package dev.vireo.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The {@code vireo} command-line tool ({@code bin/vireo} runs it), on picocli: each sub-command is an
 * annotated class whose options are declared once, and every usage text is generated from them.
 * Errors are one line on stderr: bad arguments exit with 2 and name the {@code --help} to read, a
 * failing command exits with 1 and prints its stack trace only under {@code --stacktrace}.
 */
@Command(name = "vireo", description = "pure-Java vision-language learning",
        versionProvider = Vireo.class,
        footer = {"", "Run vireo COMMAND --help (or vireo help COMMAND) for a command's options.",
                "bin/vireo spark embed|eval|index|train: the jobs on Apache Spark (a module of their own: bin/vireo spark --help).",
                "JVM properties (VIREO_JAVA_OPTS): -Dvireo.kernels=scalar|vector, -Dvireo.vectorBits=128|256|512, -Dvireo.threads=N"})
public final class Vireo implements Callable<Integer>, CommandLine.IVersionProvider {
    /** The commands, in the order {@code vireo --help} lists them. */
    private static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, TrainCommand.class, PretrainCommand.class,
            FinetuneCommand.class, ItmCommand.class, CaptionCommand.class, VqaCommand.class, CompareFusionCommand.class, ExplainCommand.class,
            LocateCommand.class, EvalCommand.class, DataCommand.class, EmbedCommand.class, ZeroShotCommand.class, ScoreCommand.class,
            TokenizeCommand.class, ExportCommand.class, IndexCommand.class, SearchCommand.class, ServeCommand.class, ServeVqaCommand.class,
            InfoCommand.class, LessonCommand.class, ProjectCommand.class, BenchCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class);
    /** The options of {@code vireo} itself, which may come before the command's name. */
    private static final Set<String> OWN_OPTIONS = Set.of("--stacktrace", "-h", "--help", "-V", "--version");

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "print the stack trace of an error")
    boolean stacktrace;

    @Spec
    CommandSpec spec;

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Runs the tool and returns the exit code (tests call this instead of main). */
    public static int run(String... argv) {
        String garbled = garbledArgument(argv, System.getProperty("sun.jnu.encoding"));
        if (garbled != null) {
            System.err.println(garbled);
            System.err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        CommandLine cli = commandLine(argv);
        try {
            return cli.execute(argv);
        } catch (Error e) { // picocli hands exceptions to failed(); errors such as OutOfMemoryError come here
            ParseResult parsed = cli.getParseResult(), last = parsed;
            while (last != null && last.hasSubcommand()) last = last.subcommand();
            return failed(e, last != null ? last.commandSpec().commandLine() : cli, parsed);
        }
    }

    /**
     * A one-line error when the JVM decoded the command line with a charset other than UTF-8
     * ({@code sun.jnu.encoding}, from the locale) and an argument came out with replacement characters
     * (U+FFFD: bytes it could not decode, as 'café' under LANG=C); null when the arguments are intact.
     */
    static String garbledArgument(String[] argv, String jnuEncoding) {
        if (jnuEncoding == null || jnuEncoding.replace("-", "").equalsIgnoreCase("UTF8")) return null;
        for (String arg : argv) {
            if (arg.indexOf('\uFFFD') >= 0) {
                return "vireo: argument '" + arg.replace('\uFFFD', '?') + "' was garbled: the JVM decoded the command line as "
                        + jnuEncoding + " (the locale's charset); run under a UTF-8 locale, e.g. LC_ALL=C.UTF-8 (bin/vireo does so itself)";
            }
        }
        return null;
    }

    /** The whole command tree, writing to the current System.out and System.err. */
    static CommandLine commandLine() {
        return commandLine(COMMANDS);
    }

    /**
     * The tree {@code argv} runs in: {@code vireo} and the one command it names, or every command when
     * it names none, or help or completion (which read the whole tree), or an unknown one (whose error
     * suggests the names). picocli reads every command's options when it builds a tree: the whole tree
     * cost each start 0.2-0.35 s, a cold {@code vireo embed} of one image a tenth of its time.
     */
    static CommandLine commandLine(String[] argv) {
        String name = null;
        for (String arg : argv) {
            if (!OWN_OPTIONS.contains(arg)) {
                name = arg;
                break;
            }
        }
        for (Class<?> command : COMMANDS) {
            String own = command.getAnnotation(Command.class).name();
            if (own.equals(name) && command != CompletionCommand.class && command != CommandLine.HelpCommand.class) {
                return commandLine(List.of(command));
            }
        }
        return commandLine(COMMANDS);
    }

    private static CommandLine commandLine(List<Class<?>> commands) {
        CommandLine cli = new CommandLine(new Vireo());
        for (Class<?> command : commands) cli.addSubcommand(command);
        cli.setOut(new PrintWriter(System.out, true))
                .setErr(new PrintWriter(System.err, true))
                .setParameterExceptionHandler(Vireo::badArguments)
                .setExecutionExceptionHandler(Vireo::failed)
                .setExpandAtFiles(false); // "@..." is a text or a path here, as before, not a file of arguments
        conventions(cli);
        return cli;
    }

    /** What every command shares: --help and --version, and its options listed in the order declared. */
    private static void conventions(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        if (!(cli.getCommand() instanceof CommandLine.HelpCommand)) spec.mixinStandardHelpOptions(true);
        spec.usageMessage().sortOptions(false).sortSynopsis(false).width(100);
        cli.getSubcommands().values().forEach(Vireo::conventions);
    }

    /** {@code vireo} alone prints the help and fails, as a missing command is a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }

    @Override
    public String[] getVersion() {
        return new String[]{"vireo " + version()};
    }

    static String version() {
        String v = Vireo.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    /** A usage error, as one line: what was wrong and where to read the command's options. */
    private static int badArguments(ParameterException e, String[] argv) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println(name + ": " + problem(e) + " (see " + name + " --help)");
        cmd.getErr().flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String problem(ParameterException e) {
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().getFirst();
            List<String> near = u.getSuggestions().stream().filter(x -> sameStart(x, arg)).toList();
            String hint = near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?";
            if (arg.startsWith("-")) return "unknown option " + arg + hint;
            if (!e.getCommandLine().getSubcommands().isEmpty()) return "unknown command '" + arg + "'" + hint;
            return "unexpected argument '" + arg + "'";
        }
        String m = e.getMessage().replaceFirst("^Error: ", "");
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    /** Whether a suggestion starts like the mistyped word: picocli's own suggestions can be far off. */
    private static boolean sameStart(String suggestion, String typed) {
        String a = suggestion.replaceFirst("^-+", ""), b = typed.replaceFirst("^-+", "");
        return !a.isEmpty() && !b.isEmpty() && a.charAt(0) == b.charAt(0);
    }

    /** A command that failed: one line, and the stack trace under --stacktrace. */
    private static int failed(Throwable e, CommandLine cmd, ParseResult parsed) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + message(e));
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--stacktrace")) {
                e.printStackTrace(cmd.getErr());
                break;
            }
        }
        cmd.getErr().flush();
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
