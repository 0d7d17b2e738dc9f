package dev.vireo.models.train;

import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.text.CaptionVocabulary;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run that trains a text decoder on captions keeps beside its checkpoint, for the captioner
 * and CoCa alike: the prompt ({@value CaptionRuns#PROMPT}, one line; a resume after another prompt is
 * refused), the data report, and the WordPiece vocabulary built from the captions and the prompt
 * ({@value CaptionRuns#VOCAB}, kept on resume). {@link #sampler} draws captions after the prompt.
 */
record CaptionRunFolder(String prompt, WordPieceTokenizer tokenizer) {
    /** Writes (or on resume checks) the folder's prompt, data report and vocabulary of at most {@code maxTokens}; {@code task} names errors. */
    static CaptionRunFolder prepare(String task, TrainConfig cfg, ImageTextData data, String prompt, int maxTokens) throws IOException {
        String clean = prompt == null ? "" : prompt.strip();
        if (clean.contains("\n")) throw new IllegalArgumentException(task + ": the prompt must be one line");
        Files.createDirectories(cfg.outDir());
        Path promptFile = cfg.outDir().resolve(CaptionRuns.PROMPT);
        if (cfg.resume() && Files.isRegularFile(promptFile) && !Files.readString(promptFile).strip().equals(clean)) {
            throw new IllegalArgumentException(task + ": the run in " + cfg.outDir() + " was trained after the prompt '"
                    + Files.readString(promptFile).strip() + "', not '" + clean + "'");
        }
        AtomicFiles.writeString(promptFile, clean + "\n");
        DataReport.write(cfg.outDir(), data);
        Path vocab = cfg.outDir().resolve(CaptionRuns.VOCAB);
        if (!(cfg.resume() && Files.isRegularFile(vocab))) {
            List<String> texts = new ArrayList<>();
            if (!clean.isEmpty()) texts.add(clean);
            for (int i = 0; i < data.size(); i++) texts.addAll(data.captions(i));
            AtomicFiles.writeString(vocab, String.join("\n", CaptionVocabulary.build(texts, maxTokens)) + "\n");
        }
        return new CaptionRunFolder(clean, WordPieceTokenizer.fromVocabTxt(vocab, true));
    }

    /** [CLS] and the prompt's tokens: the positions the loss does not predict. */
    int promptLength(int maxLength) {
        return CaptionRuns.promptIds(tokenizer, prompt, maxLength).length;
    }

    /** Batches of "[CLS] prompt caption [SEP]" rows of at most {@code maxLength} tokens, a pure function of (seed, step). */
    BatchSampler sampler(ImageTextData data, int maxLength, TrainConfig cfg) {
        String lead = prompt.isEmpty() ? "" : prompt + " ";
        return new BatchSampler(data, caption -> BatchSampler.trimmed(tokenizer.encode(lead + caption, maxLength).ids(), tokenizer.sepId()),
                maxLength, cfg.seed(), BatchAugment.of(cfg.augment(), data.imageSize()));
    }
}
