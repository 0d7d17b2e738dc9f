package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * {@code train}'s options on the built-in shapes (tiny model, a step or two): a locked tower keeps its
 * initial weights bit for bit while the other one learns, and {@code --accum} trains as one larger
 * batch; {@code eval --json} on a caption table against retrieval metrics computed here from
 * {@code embed}'s features.
 */
class TrainAndEvalCommandsTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    private Path train(String name, String... options) {
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString(), "--model", "tiny", "--quiet", "--lr", "1e-2"));
        args.addAll(List.of(options));
        assertThat(Vireo.run(args.toArray(String[]::new))).as("%s", console.err()).isZero();
        return out;
    }

    private static Map<String, Tensor> weights(Path run) throws Exception {
        return Checkpoint.load(run.resolve("checkpoint.safetensors")).model();
    }

    /** Names of the tower's parameters that a lock must keep and the other run must change. */
    private static boolean inImageTower(String name) {
        return name.startsWith("vision_model.") || name.startsWith("visual_projection.");
    }

    private static boolean inTextTower(String name) {
        return name.startsWith("text_model.") || name.startsWith("text_projection.");
    }

    @Test
    void aLockedTowerKeepsItsInitialWeightsBitForBitWhileTheOtherLearns() throws Exception {
        Map<String, Tensor> init = new ClipModel(ClipConfig.create("tiny"), 0L).stateDict(); // train's --seed 0
        Path lockedImage = train("lock-image", "--steps", "2", "--batch", "16", "--lock-image");
        Path lockedText = train("lock-text", "--steps", "2", "--batch", "16", "--lock-text");
        int[] kept = new int[2], changed = new int[2];
        for (Path run : List.of(lockedImage, lockedText)) {
            boolean imageLocked = run == lockedImage;
            weights(run).forEach((name, t) -> {
                boolean same = Arrays.equals(init.get(name).toArray(), t.toArray());
                boolean locked = imageLocked ? inImageTower(name) : inTextTower(name);
                boolean other = imageLocked ? inTextTower(name) : inImageTower(name);
                if (locked) {
                    assertThat(same).as("%s of the locked tower, after %s", name, run.getFileName()).isTrue();
                    kept[imageLocked ? 0 : 1]++;
                } else if (other && name.endsWith(".weight") && !same) {
                    changed[imageLocked ? 0 : 1]++;
                }
            });
        }
        for (int i = 0; i < 2; i++) {
            assertThat(kept[i]).as("locked tensors checked").isGreaterThan(10);
            assertThat(changed[i]).as("weight tensors of the free tower that moved").isGreaterThan(10);
        }
    }

    @Test
    void accumulatedMicroBatchesTrainAsOneLargerBatch() throws Exception {
        Path whole = train("batch-16", "--steps", "2", "--batch", "16");
        Path parts = train("batch-8-accum-2", "--steps", "2", "--batch", "8", "--accum", "2");
        List<JsonNode> a = log(whole), b = log(parts);
        assertThat(b).hasSameSizeAs(a).hasSize(2);
        for (int i = 0; i < a.size(); i++) {
            double la = a.get(i).get("loss").asDouble(), lb = b.get(i).get("loss").asDouble();
            assertThat(lb).as("loss at step %d", i + 1).isCloseTo(la, offset(1e-4 * Math.abs(la)));
        }
        // and not the mean of two batches of 8: ln(8) sits well below ln(16) at the start
        assertThat(a.getFirst().get("loss").asDouble()).isGreaterThan(0.9 * Math.log(16));
    }

    private static List<JsonNode> log(Path run) throws Exception {
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) out.add(m.readTree(line));
        return out;
    }

    @Test
    void evalJsonGivesTheMetricsOfEmbedsFeatures() throws Exception {
        Path run = train("eval-model", "--steps", "2", "--batch", "16");
        String[] colours = {"red", "green", "blue", "yellow", "purple", "orange", "white", "grey", "pink", "brown", "cyan", "black"};
        Random random = new Random(5);
        StringBuilder table = new StringBuilder("image,caption\n");
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < colours.length; i++) {
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB); // the model's size: no resize
            for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) img.setRGB(x, y, random.nextInt(0x1000000));
            Path p = tmp.resolve("img" + i + ".png");
            ImageIO.write(img, "png", p.toFile());
            images.add(p);
            table.append(p.getFileName()).append(",a ").append(colours[i]).append(" square with ").append(i).append(" dots\n");
        }
        Path csv = Files.writeString(tmp.resolve("table.csv"), table);
        console.resetOut();
        assertThat(Vireo.run("eval", "--model", run.toString(), "--data", "csv:" + csv + ":" + tmp, "--json")).as("%s", console.err()).isZero();
        JsonNode eval = console.json();
        assertThat(eval.get("images").asInt()).isEqualTo(colours.length);

        List<String> args = new ArrayList<>(List.of("embed", "--model", run.toString()));
        for (Path p : images) args.addAll(List.of("--image", p.toString()));
        for (String line : table.toString().lines().skip(1).toList()) args.addAll(List.of("--text", line.substring(line.indexOf(',') + 1)));
        console.resetOut();
        assertThat(Vireo.run(args.toArray(String[]::new))).isZero();
        JsonNode embed = console.json();
        double[][] sim = cosines(embed.get("image_embeds"), embed.get("text_embeds")); // (images, texts)
        checkDirection(eval.get("retrieval").get("image_to_text"), sim);
        checkDirection(eval.get("retrieval").get("text_to_image"), transpose(sim));
    }

    /** R@1/5/10, MRR, mAP and median rank of queries whose one relevant item has the query's index. */
    private static void checkDirection(JsonNode metrics, double[][] sim) {
        int n = sim.length;
        double[] ranks = new double[n];
        for (int q = 0; q < n; q++) {
            int rank = 1;
            for (int j = 0; j < n; j++) if (j != q && sim[q][j] > sim[q][q]) rank++;
            ranks[q] = rank;
        }
        double mrr = Arrays.stream(ranks).map(r -> 1 / r).average().orElseThrow();
        double[] sorted = ranks.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        for (int k : new int[] {1, 5, 10}) {
            double recall = Arrays.stream(ranks).filter(r -> r <= k).count() / (double) n;
            assertThat(metrics.get("R@" + k).asDouble()).as("R@%d", k).isCloseTo(recall, offset(1e-9));
        }
        assertThat(metrics.get("MRR").asDouble()).as("MRR").isCloseTo(mrr, offset(1e-9));
        assertThat(metrics.get("mAP").asDouble()).as("mAP with one relevant item is MRR").isCloseTo(mrr, offset(1e-9));
        assertThat(metrics.get("median_rank").asDouble()).as("median rank").isCloseTo(median, offset(1e-9));
    }

    private static double[][] cosines(JsonNode images, JsonNode texts) {
        double[][] s = new double[images.size()][texts.size()];
        for (int i = 0; i < images.size(); i++) {
            for (int j = 0; j < texts.size(); j++) {
                double dot = 0, ni = 0, nt = 0;
                for (int e = 0; e < images.get(i).size(); e++) {
                    double a = images.get(i).get(e).asDouble(), b = texts.get(j).get(e).asDouble();
                    dot += a * b;
                    ni += a * a;
                    nt += b * b;
                }
                s[i][j] = dot / Math.sqrt(ni * nt);
            }
        }
        return s;
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) for (int j = 0; j < m[0].length; j++) t[j][i] = m[i][j];
        return t;
    }
}
