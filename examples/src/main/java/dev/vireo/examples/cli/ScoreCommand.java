package dev.vireo.examples.cli;

import dev.vireo.models.data.CaptionCandidate;
import dev.vireo.models.data.CaptionResultsReader;
import dev.vireo.models.data.VqaPrediction;
import dev.vireo.models.data.VqaV2Reader;
import dev.vireo.models.eval.CaptionMetrics;
import dev.vireo.models.eval.VqaAccuracy;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vireo score captions|vqa FILE}: the standard captioning metrics (BLEU-1..4, ROUGE-L, CIDEr-D,
 * as the COCO caption evaluation computes them) and VQA accuracy (as the official VQA evaluation
 * computes it) of predictions in a JSON file, ours or the COCO / VQA v2 results formats.
 */
@Command(name = "score", description = {"score predictions with the reference metrics: captions (BLEU-1..4, ROUGE-L, CIDEr-D as the COCO",
        "caption evaluation; no METEOR or SPICE) or vqa (VQA accuracy as the official evaluation)"},
        subcommands = {ScoreCommand.Captions.class, ScoreCommand.Vqa.class})
final class ScoreCommand {
    @Command(name = "captions", description = {"BLEU-1..4, ROUGE-L and CIDEr-D of captions, as the COCO caption evaluation computes them.",
            "FILE is [{\"id\", \"refs\": [..], \"candidate\"}], or with --annotations a COCO results list",
            "[{\"image_id\", \"caption\"}]; captions are PTB-tokenised first"})
    static final class Captions implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the captions to score (JSON)")
        Path file;

        @Option(names = "--annotations", paramLabel = "JSON", description = "COCO caption annotations (captions_val2014.json) holding the references;"
                + " FILE is then a COCO results list")
        Path annotations;

        @Option(names = "--json", description = "print {\"corpus\": {..}, \"per_image\": {\"ID\": {..}}} instead of a table")
        boolean json;

        @Override
        public Integer call() throws Exception {
            requireFile(spec, file, "FILE");
            if (annotations != null) requireFile(spec, annotations, "--annotations");
            List<CaptionCandidate> items = annotations == null ? CaptionResultsReader.readCandidates(file)
                    : CaptionResultsReader.readCocoResults(file, annotations);
            CaptionMetrics.Scores scores = CaptionMetrics.evaluate(items);
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("corpus", scores.corpus());
                out.put("per_image", scores.perImage());
                System.out.println(Json.write(out));
            } else {
                StringBuilder header = new StringBuilder(String.format("%-10s", "captions"));
                StringBuilder row = new StringBuilder(String.format("%-10d", items.size()));
                for (String name : CaptionMetrics.NAMES) {
                    header.append(String.format(" %8s", name));
                    row.append(String.format(" %8.4f", scores.corpus().get(name)));
                }
                System.out.println(header);
                System.out.println(row);
                System.out.println("(COCO caption evaluation: corpus BLEU from summed counts; ROUGE-L and CIDEr-D are means over images)");
            }
            return 0;
        }
    }

    @Command(name = "vqa", description = {"VQA accuracy, as the official VQA evaluation computes it.",
            "FILE is [{\"id\", \"answers\": [ten strings], \"prediction\"}], or with --questions and --annotations",
            "(VQA v2 files) a results list [{\"question_id\", \"answer\"}]"})
    static final class Vqa implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the predictions to score (JSON)")
        Path file;

        @ArgGroup(exclusive = false)
        VqaFiles vqaFiles;

        static final class VqaFiles {
            @Option(names = "--questions", required = true, paramLabel = "JSON", description = "VQA v2 questions (v2_OpenEnded_mscoco_val2014_questions.json)")
            Path questions;

            @Option(names = "--annotations", required = true, paramLabel = "JSON", description = "VQA v2 annotations (v2_mscoco_val2014_annotations.json)")
            Path annotations;
        }

        @Option(names = "--json", description = "print {\"overall\": percent, \"per_question\": {\"ID\": 0..1}} instead of a summary")
        boolean json;

        @Override
        public Integer call() throws Exception {
            requireFile(spec, file, "FILE");
            List<VqaPrediction> predictions;
            if (vqaFiles == null) {
                predictions = VqaV2Reader.readPredictions(file);
            } else {
                requireFile(spec, vqaFiles.questions, "--questions");
                requireFile(spec, vqaFiles.annotations, "--annotations");
                predictions = VqaV2Reader.join(VqaV2Reader.read(vqaFiles.questions, vqaFiles.annotations), VqaV2Reader.readResults(file), file);
            }
            VqaAccuracy.Result result = VqaAccuracy.evaluate(predictions);
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("overall", result.overall());
                out.put("per_question", result.perQuestion());
                System.out.println(Json.write(out));
            } else {
                long full = result.perQuestion().values().stream().filter(a -> a == 1.0).count();
                long zero = result.perQuestion().values().stream().filter(a -> a == 0.0).count();
                System.out.printf("%-10s %8s %8s %8s %8s%n", "questions", "accuracy", "full", "partial", "zero");
                System.out.printf("%-10d %7.2f%% %8d %8d %8d%n", predictions.size(), result.overall(), full, predictions.size() - full - zero, zero);
                System.out.println("(official VQA evaluation: min(1, humans who gave the answer / 3) over the ten leave-one-out subsets)");
            }
            return 0;
        }
    }

    private static void requireFile(CommandSpec spec, Path path, String what) {
        if (!Files.isRegularFile(path)) throw new ParameterException(spec.commandLine(), what + ": no such file: " + path);
    }
}
