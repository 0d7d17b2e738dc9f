package dev.vireo.models.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code data.json} in a run folder: how many images the data source held, how many the run trains on,
 * and every one left out with the reason, so a run on a partly damaged data set says what it lost:
 * {@code {"images": M, "kept": K, "skipped": N, "skipped_images": [{"image": .., "error": ..}, ..]}}.
 */
public final class DataReport {
    /** The file's name in the run folder. */
    public static final String FILE = "data.json";

    private DataReport() {}

    /** Writes (atomically, replacing a resumed run's) the report of {@code data} into {@code runDir}. */
    public static void write(Path runDir, ImageTextData data) {
        List<ImageTextData.Skipped> skipped = data.skipped();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("images", data.size() + skipped.size());
        report.put("kept", data.size());
        report.put("skipped", skipped.size());
        report.put("skipped_images", skipped.stream().map(s -> Map.of("image", s.image(), "error", s.error())).toList());
        try {
            Files.createDirectories(runDir);
            AtomicFiles.writeString(runDir.resolve(FILE), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("train: cannot write " + runDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
