package dev.vireo.examples.cli;

import dev.vireo.examples.data.DataSpecs;
import dev.vireo.models.Clip;
import dev.vireo.models.train.ImageTextData;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/** Options that several commands share, declared once. */
final class Mixins {
    private Mixins() {}

    /** {@code --data-dir}: where fetched data lives. */
    static final class DataDir {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "where fetched data lives (default: ${DEFAULT-VALUE}, set by the vireo.dataDir property)")
        Path dir = DataSpecs.defaultDataDir();
    }

    /** {@code --data SPEC} and {@code --data-dir}: the data a command trains or evaluates on. */
    static final class Data {
        @Option(names = "--data", paramLabel = "SPEC", defaultValue = "shapes", completionCandidates = DataSpecNames.class,
                description = {"the data (default: ${DEFAULT-VALUE}), one of:", "${COMPLETION-CANDIDATES}"})
        String spec;

        @Mixin
        DataDir dataDir;

        /** The training ({@code train = true}) or held-out split, at the model's image size. */
        ImageTextData load(boolean train, int imageSize) throws IOException {
            return DataSpecs.load(spec, train, imageSize, dataDir.dir);
        }
    }

    /** {@code --model} and {@code --config}: any model {@link Clip#load} reads. */
    static final class Model {
        @Option(names = "--model", required = true, paramLabel = "DIR|FILE",
                description = "a Hugging Face CLIP folder, an open_clip .safetensors file (with --config) or a Vireo run folder")
        Path path;

        @Option(names = "--config", paramLabel = "NAME", description = "the open_clip config of a .safetensors file, e.g. ViT-B-32")
        String config;

        Clip load() throws IOException {
            return Clip.load(path, config);
        }
    }

    /** The data specs {@link DataSpecs#load} reads, for help and completion. */
    static final class DataSpecNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return DataSpecs.names().iterator();
        }
    }
}
