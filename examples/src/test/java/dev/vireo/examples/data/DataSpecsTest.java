package dev.vireo.examples.data;

import dev.vireo.models.train.DecodedImageTextData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataSpecsTest {
    @TempDir
    Path dir;

    @Test
    void csvSpecDecodesImagesAndSkipsACorruptOne() throws Exception {
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(50 + i * 10, 40, BufferedImage.TYPE_INT_RGB);
            img.setRGB(5, 5, 0xFF0000 >> i);
            ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
        }
        Files.write(dir.resolve("bad.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1});
        Files.writeString(dir.resolve("captions.csv"), """
                image,caption
                img0.png,a red square
                img1.png,"a green square, small"
                bad.jpg,a broken file
                img2.png,a blue square
                """);
        DecodedImageTextData data = (DecodedImageTextData) DataSpecs.load("csv:" + dir.resolve("captions.csv"), true, 32, dir);
        assertThat(data.size()).isEqualTo(3);
        assertThat(data.skipped()).extracting(s -> s.image()).containsExactly(dir.resolve("bad.jpg").toString());
        assertThat(data.captions(1)).containsExactly("a green square, small");
        float[] px = new float[3 * 32 * 32];
        data.image(2, px, 0);
        assertThat(px).doesNotContain(Float.NaN);
    }

    @Test
    void unknownSpecsAreClearErrors() {
        assertThatThrownBy(() -> DataSpecs.load("imagenet", true, 32, dir)).hasMessageContaining("unknown data spec 'imagenet'");
        assertThatThrownBy(() -> DataSpecs.load("shapes:lots", true, 32, dir)).hasMessageContaining("must be a whole number");
        assertThatThrownBy(() -> DataSpecs.load("fashion-mnist", true, 32, dir)).hasMessageContaining("fetch");
        assertThatThrownBy(() -> DataSpecs.load("coco:" + dir.resolve("x.json"), true, 32, dir)).hasMessageContaining("image folder");
    }
}
