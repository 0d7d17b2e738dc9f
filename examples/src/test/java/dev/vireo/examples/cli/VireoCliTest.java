package dev.vireo.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The vireo tool: its commands, usage texts generated from the declared options, and one-line errors with exit codes. */
class VireoCliTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    private String stdout() {
        return console.out();
    }

    private String stderr() {
        return console.err();
    }

    @Test
    void argumentsGarbledByANonUtf8LocaleAreRefused() {
        String[] garbled = {"tokenize", "--text", "caf\uFFFD\uFFFD"};
        assertThat(Vireo.garbledArgument(garbled, "ANSI_X3.4-1968"))
                .contains("'caf??'", "ANSI_X3.4-1968", "UTF-8 locale").doesNotContain("\n");
        assertThat(Vireo.garbledArgument(garbled, "UTF-8")).isNull();  // typed as such under UTF-8: kept
        assertThat(Vireo.garbledArgument(new String[] {"tokenize", "--text", "café"}, "ANSI_X3.4-1968")).isNull();
        String jnu = System.getProperty("sun.jnu.encoding");
        System.setProperty("sun.jnu.encoding", "ANSI_X3.4-1968");
        try {
            assertThat(Vireo.run(garbled)).isEqualTo(2);
        } finally {
            System.setProperty("sun.jnu.encoding", jnu);
        }
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).startsWith("vireo: argument 'caf??' was garbled").hasLineCount(1);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(Vireo.run("--help")).isZero();
        assertThat(stdout()).contains("info", "lesson", "bench");
    }

    @Test
    void infoReportsKernelsSpeciesAndThreads() {
        assertThat(Vireo.run("info", "--json")).isZero();
        assertThat(stdout()).contains("\"jdk\"", "\"kernels\"", "\"vector_bits\"", "\"float_lanes\"", "\"threads\"");
    }

    @Test
    void errorsAreOneLineAndNonZero() {
        assertThat(Vireo.run("frobnicate")).isEqualTo(2);
        assertThat(console.err()).contains("unknown command 'frobnicate'");
        assertThat(Vireo.run("info", "--colour")).isEqualTo(2);
        assertThat(console.err()).contains("unknown option --colour").doesNotContain("Exception");
        assertThat(Vireo.run("lesson", "L99Nope")).isEqualTo(2);
    }

    @Test
    void trainDocumentsAugmentAndRejectsUnknownNamesInOneLine() {
        assertThat(Vireo.run("train", "--help")).isZero();
        assertThat(stdout()).contains("[--augment=NAME]", "none, openclip, simclr (default: none)");
        assertThat(Vireo.run("train", "--out", tmp.toString(), "--augment", "crop-flip")).isEqualTo(2);
        String message = console.err();
        assertThat(message.strip().lines()).containsExactly("vireo train: invalid value for option '--augment':"
                + " 'crop-flip' is not one of none, openclip, simclr (see vireo train --help)");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void lessonListShowsTheCourse() {
        assertThat(Vireo.run("lesson", "list")).isZero();
        assertThat(stdout()).contains("B01Tensors");
    }

    private static Stream<CommandLine> tree(CommandLine cli) {
        return Stream.concat(Stream.of(cli), cli.getSubcommands().values().stream().flatMap(VireoCliTest::tree));
    }

    @Test
    void aStartBuildsOnlyTheCommandItRuns() {
        assertThat(Vireo.commandLine(new String[] {"--stacktrace", "embed", "--model", "m"}).getSubcommands()).containsOnlyKeys("embed");
        assertThat(Vireo.commandLine(new String[] {"bench", "clip"}).getSubcommands()).containsOnlyKeys("bench");
        int all = Vireo.commandLine().getSubcommands().size();
        assertThat(all).isGreaterThan(20);
        for (String[] argv : new String[][] {{}, {"--help"}, {"help", "embed"}, {"completion"}, {"embd"}}) {
            assertThat(Vireo.commandLine(argv).getSubcommands()).as(String.join(" ", argv)).hasSize(all);
        }
        assertThat(Vireo.run("--stacktrace", "info")).isZero(); // vireo's own option before the command still parses
    }

    @Test
    void everyDeclaredOptionIsInItsCommandsHelp() {
        List<CommandLine> commands = tree(Vireo.commandLine()).toList();
        assertThat(commands).extracting(c -> c.getCommandSpec().qualifiedName()).contains(
                "vireo demo", "vireo demo lit", "vireo train", "vireo eval", "vireo embed", "vireo zeroshot", "vireo tokenize", "vireo export",
                "vireo data list", "vireo data fetch", "vireo lesson", "vireo bench kernels", "vireo bench clip", "vireo info",
                "vireo completion");
        for (CommandLine c : commands) {
            List<String> argv = new ArrayList<>(List.of(c.getCommandSpec().qualifiedName().split(" ")));
            argv.removeFirst();
            argv.add("--help");
            console.resetOut();
            assertThat(Vireo.run(argv.toArray(String[]::new))).as(String.join(" ", argv)).isZero();
            String help = stdout();
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (!o.hidden()) assertThat(help).as(c.getCommandSpec().qualifiedName() + " --help").contains(o.names());
            }
            for (PositionalParamSpec p : c.getCommandSpec().positionalParameters()) {
                assertThat(help).as(c.getCommandSpec().qualifiedName() + " --help").contains(p.paramLabel());
            }
        }
    }

    @Test
    void trainHelpListsQuietAndHelpCommandPrintsTheSame() {
        assertThat(Vireo.run("train", "--help")).isZero();
        String help = stdout();
        assertThat(help).contains("--quiet", "--out=DIR", "--steps=N", "(default: 1000)", "--stacktrace");
        console.resetOut();
        assertThat(Vireo.run("help", "train")).isZero();
        assertThat(stdout()).isEqualTo(help);
    }

    @ParameterizedTest
    @ValueSource(strings = {"info --colour", "train --out OUT --steps many", "train --out OUT --lr fast",
            "train --out OUT --loss hinge", "tokenize --text a --context x", "zeroshot --model M --image a.png",
            "embed --model", "lesson one two", "bench gpu", "data fetch", "frobnicate"})
    void badArgumentsFailInOneLineNamingTheHelp(String line) {
        String[] argv = line.replace("OUT", tmp.toString()).split(" ");
        assertThat(Vireo.run(argv)).as(line).isEqualTo(2);
        assertThat(stderr().strip().lines()).as(line).singleElement().asString()
                .startsWith("vireo").contains("--help)").doesNotContain("Exception");
        assertThat(stdout()).isEmpty();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void badValuesAreNamed() {
        assertThat(Vireo.run("train", "--out", tmp.toString(), "--steps", "many")).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("vireo train: invalid value for option '--steps': 'many' is not an int (see vireo train --help)");
        console.resetErr();
        assertThat(Vireo.run("info", "--jsn")).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("vireo info: unknown option --jsn; did you mean --json? (see vireo info --help)");
    }

    @Test
    void litWithoutItsFetchedDataSaysWhatToFetchInOneLine() {
        Path empty = tmp.resolve("no-data");
        assertThat(Vireo.run("demo", "lit", "--offline", "--data-dir", empty.toString(), "--out", tmp.resolve("run").toString())).isEqualTo(1);
        assertThat(stderr().strip().lines()).singleElement().asString().startsWith("vireo demo lit: fashion-mnist is not in");
        console.resetErr();
        assertThat(Vireo.run("train", "--model", "lit-minilm", "--data", "shapes:16", "--data-dir", empty.toString(),
                "--out", tmp.resolve("train").toString(), "--steps", "1", "--batch", "8")).isEqualTo(1);
        assertThat(stderr().strip().lines()).singleElement().asString().startsWith("vireo train: minilm is not in");
    }

    @Test
    void failuresAreOneLineWithTheTraceOnlyWhenAsked() {
        assertThat(Vireo.run("embed", "--model", tmp.toString(), "--text", "a cat")).isEqualTo(1);
        assertThat(stderr().strip().lines()).singleElement().asString().startsWith("vireo embed: cannot load");
        console.resetErr();
        assertThat(Vireo.run("--stacktrace", "embed", "--model", tmp.toString(), "--text", "a cat")).isEqualTo(1);
        assertThat(stderr()).startsWith("vireo embed: cannot load").contains("\tat dev.vireo.");
        console.resetErr();
        assertThat(Vireo.run("embed", "--model", tmp.toString(), "--text", "a cat", "--stacktrace")).isEqualTo(1);
        assertThat(stderr()).contains("\tat dev.vireo.");
    }

    @Test
    void backendsAreListedAndAnUnknownOrAbsentOneIsOneLine() {
        assertThat(Vireo.run("info", "--json")).isZero();
        assertThat(stdout()).contains("\"backends\"", "\"cpu\" : \"available on the host CPU\"", "\"tornado\" : \"unavailable: ");
        String model = "../models/src/test/resources/hf/tiny-clip";
        assertThat(Vireo.run("embed", "--model", model, "--text", "a cat", "--backend", "cpu")).isZero();
        assertThat(stdout()).contains("\"text_embeds\"");
        for (String backend : new String[] {"tornado", "gpu"}) { // the default build has no TornadoVM backend on its class path
            console.resetErr();
            assertThat(Vireo.run("embed", "--model", model, "--text", "a cat", "--backend", backend)).isEqualTo(1);
            assertThat(stderr().strip().lines()).singleElement().asString()
                    .isEqualTo("vireo embed: backend " + backend + ": no such compute provider; found [cpu]");
        }
        console.resetErr();
        assertThat(Vireo.run("zeroshot", "--model", model, "--image", "../models/src/test/resources/blipcap/tiny_blip_caption/gradient.png",
                "--labels", "a,b", "--backend", "nope")).isEqualTo(1);
        assertThat(stderr().strip()).isEqualTo("vireo zeroshot: backend nope: no such compute provider; found [cpu]");
    }

    @Test
    void noCommandPrintsTheHelpAndFails() {
        assertThat(Vireo.run()).isEqualTo(2);
        assertThat(stdout()).contains("Usage: vireo", "train", "completion");
    }

    @Test
    void versionAndCompletion() {
        assertThat(Vireo.run("--version")).isZero();
        assertThat(stdout()).startsWith("vireo ");
        console.resetOut();
        assertThat(Vireo.run("completion")).isZero();
        assertThat(stdout()).contains("complete -F _complete_vireo", "--augment", "B01Tensors", "fashion-mnist");
    }
}
