package dev.vireo.examples.cli;

import java.util.List;

/** One sub-command of the {@code vireo} tool. */
interface Command {
    /** The word that selects it: {@code vireo NAME ...}. */
    String name();

    /** One line for {@code vireo --help}. */
    String summary();

    /** Full usage, printed by {@code vireo NAME --help} and on a usage error. */
    String usage();

    /** Runs the command; returns the process exit code. Throw {@link UsageException} for bad arguments. */
    int run(List<String> args) throws Exception;
}
