package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `vireo train` on a captioned CSV data set of 40 entries of which 2 (5%) are damaged, a truncated PNG
 * and a missing file: the run completes on the other 38, the log names each one and gives the total,
 * and the run folder's data.json counts and lists them with the reason.
 */
class DamagedDataTrainTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    @Test
    void aRunOnAPartlyDamagedDataSetCompletesAndSaysWhatItLeftOut() throws Exception {
        List<String> rows = new ArrayList<>(List.of("image,caption"));
        String[] colours = {"red", "green", "blue", "yellow"};
        for (int i = 0; i < 40; i++) {
            String name = "img" + i + ".png";
            if (i == 13) {
                rows.add("missing.png,a photo that is not there");
                continue;
            }
            BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            int rgb = new int[] {0xE02020, 0x20C020, 0x2040E0, 0xE0E020}[i % 4];
            for (int y = 5; y < 25; y++) for (int x = 5 + i % 10; x < 20 + i % 10; x++) img.setRGB(x, y, rgb);
            ImageIO.write(img, "png", dir.resolve(name).toFile());
            if (i == 27) { // cut in the middle of its image data
                byte[] whole = Files.readAllBytes(dir.resolve(name));
                Files.write(dir.resolve(name), java.util.Arrays.copyOf(whole, whole.length / 2));
            }
            rows.add(name + ",a " + colours[i % 4] + " block");
        }
        Files.write(dir.resolve("captions.csv"), rows);
        Path run = dir.resolve("run");

        int exit = Vireo.run("train", "--model", "tiny", "--data", "csv:" + dir.resolve("captions.csv"), "--steps", "3",
                "--batch", "8", "--out", run.toString(), "--quiet");

        assertThat(exit).as(console.err()).isZero();
        assertThat(console.err()).contains("skipping image " + dir.resolve("missing.png"))
                .contains("skipping image " + dir.resolve("img27.png"))
                .contains("skipped 2 of 40 images; training on the other 38");
        assertThat(Files.exists(run.resolve("checkpoint.safetensors"))).isTrue();
        JsonNode report = new ObjectMapper().readTree(run.resolve("data.json").toFile());
        assertThat(report.get("images").asInt()).isEqualTo(40);
        assertThat(report.get("kept").asInt()).isEqualTo(38);
        assertThat(report.get("skipped").asInt()).isEqualTo(2);
        List<String> listed = new ArrayList<>();
        report.get("skipped_images").forEach(s -> {
            listed.add(s.get("image").asText());
            assertThat(s.get("error").asText()).isNotBlank();
        });
        assertThat(listed).as("in source order").containsExactly(dir.resolve("missing.png").toString(), dir.resolve("img27.png").toString());
    }
}
