package dev.vireo.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebDatasetReaderTest {
    @TempDir
    Path dir;

    private TestFiles.Tar shard() throws IOException {
        return new TestFiles.Tar()
                .add("shard0/000000.jpg", TestFiles.png(5, 4, 10))
                .add("shard0/000000.txt", "a small test image\n")
                .add("shard0/000000.cls", "3")
                .add("shard0/000001.png", TestFiles.png(3, 3, 20))
                .add("shard0/000001.json", "{\"caption\": \"from json\", \"width\": 3}")
                .add("shard0/000002.jpeg", TestFiles.png(2, 2, 30))
                .add("shard0/000002.json", "{\"text\": [\"first\", \"second\"]}");
    }

    @Test
    void groupsMembersByKeyAndReferencesImageBytes() throws IOException {
        Path tar = shard().write(dir.resolve("shard-000000.tar"));
        List<ImageTextSample> samples = WebDatasetReader.readShard(tar);
        assertThat(samples).extracting(ImageTextSample::id).containsExactly("shard0/000000", "shard0/000001", "shard0/000002");
        assertThat(samples.get(0).captions()).containsExactly("a small test image");
        assertThat(samples.get(1).captions()).containsExactly("from json");
        assertThat(samples.get(2).captions()).containsExactly("first", "second");
        assertThat(samples.get(0).image()).isInstanceOf(ImageSource.FileSlice.class);
        assertThat(samples.get(1).image().readEncoded()).isEqualTo(TestFiles.png(3, 3, 20));
        BufferedImage image = TestFiles.decode(samples.get(0).image().readEncoded(), "000000.jpg");
        assertThat(image.getWidth()).isEqualTo(5);
        assertThat(image.getRGB(4, 3) & 0xFFFFFF).isEqualTo((14 << 16) | (13 << 8) | 10);
    }

    @Test
    void readsGzippedShardsIntoMemory() throws IOException {
        Path tgz = shard().writeGzip(dir.resolve("shard-000001.tar.gz"));
        List<ImageTextSample> samples = WebDatasetReader.read(List.of(tgz));
        assertThat(samples).hasSize(3);
        assertThat(samples.get(2).image()).isInstanceOf(ImageSource.EncodedBytes.class);
        assertThat(samples.get(2).image().readEncoded()).isEqualTo(TestFiles.png(2, 2, 30));
    }

    @Test
    void followsGnuLongNames() throws IOException {
        String longKey = "a/" + "k".repeat(120);
        Path tar = new TestFiles.Tar()
                .add("././@LongLink", (longKey + ".png\0").getBytes(), 'L')
                .add("truncated-name.png", TestFiles.png(2, 2, 1))
                .add("././@LongLink", (longKey + ".txt\0").getBytes(), 'L')
                .add("truncated-name.txt", "long")
                .write(dir.resolve("long.tar"));
        assertThat(WebDatasetReader.readShard(tar)).singleElement().satisfies(s -> assertThat(s.id()).isEqualTo(longKey));
    }

    @Test
    void rejectsATruncatedShardNamingTheMember() throws IOException {
        byte[] whole = shard().bytes();
        Path tar = Files.write(dir.resolve("cut.tar"), Arrays.copyOf(whole, 512 * 7 + 20));
        assertThatThrownBy(() -> WebDatasetReader.readShard(tar))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("cut.tar").hasMessageContaining("member").hasMessageContaining("truncated");
        Path tgz = dir.resolve("cut.tar.gz");
        byte[] gz = TestFiles.gzip(whole);
        Files.write(tgz, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> WebDatasetReader.readShard(tgz)).isInstanceOf(IOException.class);
    }

    @Test
    void aTruncatedShardGivesTheSamplesBeforeTheCutWhenAskedTo() throws IOException {
        byte[] whole = shard().bytes();
        // cut inside 000002.jpeg's data: 000000 and 000001 are whole, 000002 has no caption yet
        Path tar = Files.write(dir.resolve("cut.tar"), Arrays.copyOf(whole, 512 * 11 + 20));
        List<String> warnings = new ArrayList<>();
        List<ImageTextSample> samples = WebDatasetReader.read(List.of(tar), warnings::add);
        assertThat(samples).extracting(ImageTextSample::id).containsExactly("shard0/000000", "shard0/000001");
        assertThat(warnings).singleElement().asString().contains("cut.tar is truncated").contains("kept the 2 samples")
                .contains("skipped 0").doesNotContain("\n");
        Path caption = Files.write(dir.resolve("cut2.tar"), Arrays.copyOf(whole, 512 * 13 + 10)); // 000002's image whole, its json cut
        warnings.clear();
        assertThat(WebDatasetReader.read(List.of(caption), warnings::add)).hasSize(2);
        assertThat(warnings).singleElement().asString().contains("skipped 1");
        Path tgz = dir.resolve("cut.tar.gz");
        byte[] gz = TestFiles.gzip(whole);
        Files.write(tgz, Arrays.copyOf(gz, gz.length * 3 / 4));
        warnings.clear();
        assertThat(WebDatasetReader.read(List.of(tgz), warnings::add).size()).isLessThan(3);
        assertThat(warnings).singleElement().asString().contains("cut.tar.gz is truncated");
        assertThatThrownBy(() -> WebDatasetReader.read(List.of(tar))).isInstanceOf(TruncatedArchiveException.class);
    }

    @Test
    void rejectsAShardCutAtAMemberBoundary() throws IOException {
        byte[] whole = shard().bytes();
        Path tar = Files.write(dir.resolve("boundary.tar"), Arrays.copyOf(whole, 512 * 4));
        assertThatThrownBy(() -> WebDatasetReader.readShard(tar)).hasMessageContaining("offset 2048").hasMessageContaining("end-of-archive");
    }

    @Test
    void rejectsACorruptHeader() throws IOException {
        byte[] bytes = shard().bytes();
        bytes[5] ^= 0x40;
        Path tar = Files.write(dir.resolve("checksum.tar"), bytes);
        assertThatThrownBy(() -> WebDatasetReader.readShard(tar)).hasMessageContaining("offset 0").hasMessageContaining("checksum");
    }

    @Test
    void rejectsASampleWithoutCaptionOrImage() throws IOException {
        Path noCaption = new TestFiles.Tar().add("x/1.png", TestFiles.png(2, 2, 0)).add("x/1.json", "{\"url\": \"u\"}")
                .write(dir.resolve("nocap.tar"));
        assertThatThrownBy(() -> WebDatasetReader.readShard(noCaption)).hasMessageContaining("nocap.tar").hasMessageContaining("sample x/1")
                .hasMessageContaining("no caption");
        Path noImage = new TestFiles.Tar().add("x/2.txt", "words").write(dir.resolve("noimage.tar"));
        assertThatThrownBy(() -> WebDatasetReader.readShard(noImage)).hasMessageContaining("sample x/2").hasMessageContaining("no .jpg");
        Path badJson = new TestFiles.Tar().add("x/3.png", TestFiles.png(2, 2, 0)).add("x/3.json", "{\"caption\": ")
                .write(dir.resolve("badjson.tar"));
        assertThatThrownBy(() -> WebDatasetReader.readShard(badJson)).hasMessageContaining("member x/3.json").hasMessageContaining("malformed JSON");
    }
}
