package dev.vireo.models.data.shapes;

import dev.vireo.models.data.CaptionTableReader;
import dev.vireo.models.data.ImageTextSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShapesWorldTest {
    @TempDir
    Path dir;

    @Test
    void sameSeedGivesSameScenesAndPixels() {
        List<ShapeScene> a = ShapesWorld.generate(7, 20, 64);
        List<ShapeScene> b = ShapesWorld.generate(7, 20, 64);
        assertThat(a).isEqualTo(b);
        for (int i = 0; i < a.size(); i++) assertThat(a.get(i).renderRgb()).isEqualTo(b.get(i).renderRgb());
        assertThat(ShapesWorld.generate(8, 20, 64)).isNotEqualTo(a);
        // scene i does not depend on how many scenes were asked for
        assertThat(ShapesWorld.generate(7, 5, 64)).isEqualTo(a.subList(0, 5));
    }

    @Test
    void trainAndTestUseDisjointSeeds() {
        ShapesWorld.Config config = ShapesWorld.Config.of(32);
        Set<Long> train = new HashSet<>();
        for (ShapeScene s : ShapesWorld.train(500, config)) train.add(s.seed());
        for (ShapeScene s : ShapesWorld.test(500, config)) assertThat(train).doesNotContain(s.seed());
        assertThat(train).hasSize(500);
    }

    @Test
    void scenesCoverTheAttributeSpace() {
        List<ShapeScene> scenes = ShapesWorld.generate(3, 600, 32);
        Set<ShapeKind> kinds = new HashSet<>();
        Set<ShapeColour> colours = new HashSet<>();
        Set<ShapePosition> positions = new HashSet<>();
        Set<ShapeSize> sizes = new HashSet<>();
        int twoShapes = 0;
        for (ShapeScene scene : scenes) {
            for (PlacedShape s : scene.shapes()) {
                kinds.add(s.kind());
                colours.add(s.colour());
                positions.add(s.position());
                sizes.add(s.size());
            }
            if (scene.shapes().size() == 2) {
                twoShapes++;
                assertThat(scene.shapes().get(0).kind()).isNotEqualTo(scene.shapes().get(1).kind());
                assertThat(scene.shapes().get(0).colour()).isNotEqualTo(scene.shapes().get(1).colour());
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(ShapeKind.values());
        assertThat(colours).containsExactlyInAnyOrder(ShapeColour.values());
        assertThat(positions).containsExactlyInAnyOrder(ShapePosition.values());
        assertThat(sizes).containsExactlyInAnyOrder(ShapeSize.values());
        assertThat(twoShapes).isBetween(240, 360);
    }

    @Test
    void captionsAndAnswersDescribeTheShapes() {
        for (ShapeScene scene : ShapesWorld.generate(11, 100, 64)) {
            PlacedShape first = scene.mainShape();
            assertThat(scene.captions()).hasSize(5).doesNotHaveDuplicates();
            assertThat(scene.captions().getFirst()).startsWith("a " + first.phrase());
            assertThat(answer(scene, "what colour is the " + first.kind().word() + "?")).isEqualTo(first.colour().word());
            assertThat(answer(scene, "what size is the " + first.kind().word() + "?")).isEqualTo(first.size().word());
            assertThat(answer(scene, "where is the " + first.kind().word() + "?")).isEqualTo(first.position().word());
            assertThat(answer(scene, "is there a " + first.kind().word() + "?")).isEqualTo("yes");
            assertThat(answer(scene, "how many shapes are there?")).isEqualTo(scene.shapes().size() == 1 ? "one" : "two");
            assertThat(scene.questions()).filteredOn(q -> q.answer().equals("no") && q.type().equals("exists")).hasSize(2);
            if (scene.shapes().size() == 2) {
                PlacedShape second = scene.shapes().get(1);
                String relation = first.position() == ShapePosition.LEFT ? " left of " : " above ";
                assertThat(scene.captions().getFirst()).isEqualTo("a " + first.phrase() + relation + "a " + second.phrase());
                assertThat(answer(scene, "what is" + relation + "the " + second.kind().word() + "?")).isEqualTo(first.kind().word());
            }
        }
    }

    @Test
    void rendersEachShapeInItsColourWithAntialiasedEdges() {
        for (ShapeScene scene : ShapesWorld.generate(5, 50, 64)) {
            byte[] rgb = scene.renderRgb();
            for (PlacedShape s : scene.shapes()) {
                int at = ((int) s.centreY() * 64 + (int) s.centreX()) * 3;
                for (int c = 0; c < 3; c++) assertThat(rgb[at + c] & 0xFF).isEqualTo(s.colour().channel(c));
            }
            int corner = 0;
            for (int c = 0; c < 3; c++) assertThat(rgb[corner + c] & 0xFF).isEqualTo(ShapeRasterizer.BACKGROUND[c]);
        }
        ShapeScene circle = new ShapeScene(0, 32, List.of(new PlacedShape(ShapeKind.CIRCLE, ShapeColour.WHITE, ShapeSize.LARGE,
                ShapePosition.CENTRE, 16, 16, 10)), List.of("a"), List.of());
        byte[] rgb = circle.renderRgb();
        Set<Integer> reds = new HashSet<>();
        for (int i = 0; i < rgb.length; i += 3) reds.add(rgb[i] & 0xFF);
        assertThat(reds).as("partial coverage gives in-between values").hasSizeGreaterThan(5);
    }

    @Test
    void chwIsTheRgbBytesOver255() {
        ShapeScene scene = ShapesWorld.generate(1, 1, 24).getFirst();
        byte[] rgb = scene.renderRgb();
        float[] chw = scene.renderChw();
        assertThat(scene.toTensor().shape()).containsExactly(3, 24, 24);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) {
                for (int c = 0; c < 3; c++) assertThat(chw[c * 576 + y * 24 + x]).isEqualTo((rgb[(y * 24 + x) * 3 + c] & 0xFF) / 255f);
            }
        }
    }

    @Test
    void sampleFolderRoundTripsThroughPngAndCsv() throws IOException {
        List<ShapeScene> scenes = ShapesWorld.generate(9, 4, 48);
        ShapesSampleWriter.write(dir, scenes);
        BufferedImage png = ImageIO.read(dir.resolve("scene_00002.png").toFile());
        byte[] rgb = scenes.get(2).renderRgb();
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                int p = png.getRGB(x, y);
                int at = (y * 48 + x) * 3;
                assertThat(p & 0xFFFFFF).isEqualTo((rgb[at] & 0xFF) << 16 | (rgb[at + 1] & 0xFF) << 8 | (rgb[at + 2] & 0xFF));
            }
        }
        List<ImageTextSample> samples = CaptionTableReader.read(dir.resolve("captions.csv"), CaptionTableReader.Format.csv("image", "caption"), dir);
        assertThat(samples).hasSize(4);
        assertThat(samples.get(3).captions()).isEqualTo(scenes.get(3).captions());
        assertThat(Files.readAllLines(dir.resolve("questions.csv")).getFirst()).isEqualTo("image,question,answer,type");
        assertThat(Files.readAllLines(dir.resolve("labels.csv")).get(1)).startsWith("scene_00000.png," + scenes.getFirst().mainShape().kind().word());
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(() -> ShapesWorld.generate(1, 1, 8)).hasMessageContaining("imageSize");
        assertThatThrownBy(() -> new ShapesWorld.Config(32, 2, 3)).hasMessageContaining("2..3");
        assertThat(ShapesWorld.generate(1, 50, new ShapesWorld.Config(32, 1, 1))).allMatch(s -> s.shapes().size() == 1);
    }

    private static String answer(ShapeScene scene, String question) {
        return scene.questions().stream().filter(q -> q.question().equals(question)).findFirst()
                .orElseThrow(() -> new AssertionError("no question '" + question + "' in " + scene.questions())).answer();
    }
}
