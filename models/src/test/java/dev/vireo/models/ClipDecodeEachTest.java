package dev.vireo.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Files decoded apart from the model (as a command does while the model loads) give encodeEach's results. */
class ClipDecodeEachTest {
    private static final Path TINY = Path.of("src/test/resources/hf/tiny-clip");
    private static final Path IMAGE = Path.of("src/test/resources/image/golden/clip224_gradient_small.png");

    @Test
    void decodedApartTheResultsAreEncodeEachsInInputOrder(@TempDir Path dir) throws Exception {
        Path corrupt = Files.write(dir.resolve("corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        List<Path> files = List.of(IMAGE, dir.resolve("missing.png"), dir, corrupt, IMAGE);
        List<Clip.DecodedFile> decoded = Clip.decodeEach(files);
        assertThat(decoded).extracting(Clip.DecodedFile::file).containsExactlyElementsOf(files);
        assertThat(decoded.get(1).error()).endsWith("missing.png does not exist");
        assertThat(decoded.get(2).error()).contains("not a regular file");
        assertThat(decoded.get(3).error()).isNotBlank();
        assertThat(decoded.get(0).error()).isNull();
        try (Clip clip = Clip.load(TINY)) {
            List<Clip.ImageResult> apart = clip.encodeEachDecoded(decoded), together = clip.encodeEach(files);
            assertThat(apart).extracting(Clip.ImageResult::ok).containsExactly(true, false, false, false, true);
            for (int i = 0; i < files.size(); i++) {
                assertThat(apart.get(i).features()).isEqualTo(together.get(i).features());
                assertThat(apart.get(i).error()).isEqualTo(together.get(i).error());
            }
            assertThat(apart.get(0).features()).isEqualTo(apart.get(4).features()).hasSize(clip.model().config().embedDim());
        }
    }
}
