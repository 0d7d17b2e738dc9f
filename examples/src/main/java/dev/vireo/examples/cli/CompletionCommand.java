package dev.vireo.examples.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code vireo completion}: a bash (and zsh) completion script, generated from the declared commands and options. */
@Command(name = "completion", description = "print a bash/zsh completion script: source <(bin/vireo completion)")
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
