package dev.vireo.spark.cli;

import dev.vireo.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vireo spark}: Vireo's jobs on Apache Spark ({@code bin/vireo spark ...} runs this with Spark on
 * the class path; {@code spark-submit --class dev.vireo.spark.cli.VireoSpark target/vireo-spark-all.jar ...}
 * on a cluster). Errors are one line on stderr, as {@code vireo}'s: 2 for bad arguments, 1 for a failed job.
 */
@Command(name = "vireo spark", version = "vireo spark 0.1.0-SNAPSHOT", description = "Vireo on Apache Spark: embed, evaluate, index and train beyond one machine",
        subcommands = {SparkEmbedCommand.class, SparkEvalCommand.class, SparkIndexCommand.class, SparkTrainCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Each command runs on local[*] unless --master names a cluster (spark://host:7077, yarn, k8s://...).",
                "Paths must be ones every executor reads (a shared or object-store file system) beyond local mode."})
public final class VireoSpark implements Callable<Integer> {
    @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT, description = "print the stack trace of an error")
    boolean stacktrace;

    @Spec
    CommandSpec spec;

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Runs the tool and returns the exit code (tests call this instead of main). */
    public static int run(String... argv) {
        CommandLine cli = new CommandLine(new VireoSpark())
                .setOut(new PrintWriter(System.out, true))
                .setErr(new PrintWriter(System.err, true))
                .setParameterExceptionHandler((ParameterException e, String[] args) -> {
                    String name = e.getCommandLine().getCommandSpec().qualifiedName();
                    e.getCommandLine().getErr().println(name + ": " + e.getMessage().replaceFirst("^Error: ", "") + " (see " + name + " --help)");
                    return CommandLine.ExitCode.USAGE;
                })
                .setExecutionExceptionHandler((Exception e, CommandLine cmd, ParseResult parsed) -> {
                    boolean trace = parsed.matchedOption("--stacktrace") != null
                            || parsed.subcommands().stream().anyMatch(p -> p.matchedOption("--stacktrace") != null);
                    if (trace) e.printStackTrace(cmd.getErr());
                    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(e));
                    return CommandLine.ExitCode.SOFTWARE;
                });
        cli.getCommandSpec().mixinStandardHelpOptions(true);
        cli.getCommandSpec().usageMessage().width(100);
        cli.getSubcommands().values().forEach(c -> {
            if (!(c.getCommand() instanceof CommandLine.HelpCommand)) c.getCommandSpec().mixinStandardHelpOptions(true);
            c.getCommandSpec().usageMessage().sortOptions(false).width(100);
        });
        return cli.execute(argv);
    }

    /** The innermost cause's message, on one line: Spark wraps a task's error in several layers of its own. */
    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }

    /** {@code --quiet}: no Spark stage progress bar (train has its own, in vireo train's options). */
    static final class Quiet {
        @Option(names = "--quiet", description = "no progress bar")
        boolean quiet;
    }

    /** The options every job takes: where it runs and any Spark setting. */
    static final class Cluster {
        @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
                description = "local[N] (N threads on this machine), spark://HOST:7077, yarn, ... (default: ${DEFAULT-VALUE})")
        String master;

        @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "a Spark setting, e.g. spark.executor.memory=8g (repeatable)")
        Map<String, String> conf = new LinkedHashMap<>();

        private boolean created;

        /** With Spark's own stage progress bar or without (when the job draws one of its own). */
        SparkSession start(String app, boolean sparkProgress) {
            created = SparkSession.getDefaultSession().isEmpty();
            return SparkSessions.start(master, "vireo spark " + app, sparkProgress, conf);
        }

        /** Stops the session if this command started it (not one it found running: a test's, a notebook's). */
        void stop(SparkSession spark) {
            if (created) spark.stop();
        }
    }
}
