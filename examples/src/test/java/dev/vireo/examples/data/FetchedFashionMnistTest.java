package dev.vireo.examples.data;

import dev.vireo.models.data.ImageSource;
import dev.vireo.models.data.LabelledImage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the real Fashion-MNIST once it has been fetched; reported as skipped, with the command to
 * run, when it has not (the default suite needs no network).
 */
class FetchedFashionMnistTest {
    @Test
    void realFashionMnistHasItsPublishedShape() throws IOException {
        Path dataDir = DataFetcher.defaultDataDir().toAbsolutePath();
        assumeTrue(DataFetcher.isPresent(dataDir, "fashion-mnist"),
                "Fashion-MNIST is not in " + dataDir + ": run new DataFetcher(dataDir, System.out).fetch(\"fashion-mnist\") "
                        + "or set -Dvireo.dataDir to a folder that has it");
        List<LabelledImage> train = FetchedDatasets.fashionMnist(dataDir, true);
        List<LabelledImage> test = FetchedDatasets.fashionMnist(dataDir, false);
        assertThat(train).hasSize(60_000);
        assertThat(test).hasSize(10_000);
        int[] perClass = new int[10];
        for (LabelledImage image : test) perClass[image.label()]++;
        assertThat(perClass).containsOnly(1_000);
        assertThat(train.getFirst().className()).isEqualTo("Ankle boot");
        ImageSource.RawPixels first = (ImageSource.RawPixels) train.getFirst().image();
        assertThat(first.width()).isEqualTo(28);
        assertThat(first.height()).isEqualTo(28);
    }
}
