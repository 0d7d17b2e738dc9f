package dev.vireo.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFolderAndIdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void imageFolderLabelsFollowSortedClassNames() throws IOException {
        for (String file : List.of("dog/b.png", "dog/a.JPG", "cat/1.png", "cat/notes.txt", "cat/.hidden.png")) {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.write(dir.resolve(file), TestFiles.png(2, 2, 0));
        }
        Files.createDirectories(dir.resolve(".cache"));
        List<LabelledImage> images = ImageFolderReader.read(dir);
        assertThat(images).extracting(LabelledImage::id).containsExactly("cat/1.png", "dog/a.JPG", "dog/b.png");
        assertThat(images).extracting(LabelledImage::label).containsExactly(0, 1, 1);
        assertThat(ImageFolderReader.classNames(images)).containsExactly("cat", "dog");
    }

    @Test
    void imageFolderRejectsAnEmptyClassAndAFlatFolder() throws IOException {
        Files.createDirectories(dir.resolve("root/cat"));
        Files.write(dir.resolve("root/cat/1.png"), TestFiles.png(2, 2, 0));
        Files.createDirectories(dir.resolve("root/empty"));
        assertThatThrownBy(() -> ImageFolderReader.read(dir.resolve("root"))).hasMessageContaining("class empty").hasMessageContaining("no image files");
        Files.createDirectories(dir.resolve("flat"));
        assertThatThrownBy(() -> ImageFolderReader.read(dir.resolve("flat"))).hasMessageContaining("no class sub-folders");
    }

    @Test
    void idxReadsPlainAndGzippedFiles() throws IOException {
        Path images = Files.write(dir.resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(TestFiles.idxImages(3, 2, 4)));
        Path labels = Files.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(2, 0, 1));
        List<LabelledImage> samples = IdxReader.read(images, labels, List.of("zero", "one", "two"));
        assertThat(samples).extracting(LabelledImage::className).containsExactly("two", "zero", "one");
        ImageSource.RawPixels second = (ImageSource.RawPixels) samples.get(1).image();
        assertThat(second.width()).isEqualTo(4);
        assertThat(second.height()).isEqualTo(2);
        assertThat(second.get(0, 0, 0)).isEqualTo(10);
        assertThat(second.get(3, 1, 0)).isEqualTo(17);
    }

    @Test
    void idxRejectsWrongMagicTruncationAndMismatch() throws IOException {
        Path labelsAsImages = Files.write(dir.resolve("swapped"), TestFiles.idxLabels(1, 2));
        assertThatThrownBy(() -> IdxReader.readImages(labelsAsImages)).hasMessageContaining("swapped").hasMessageContaining("0x00000801");
        byte[] full = TestFiles.idxImages(4, 3, 3);
        Path cut = Files.write(dir.resolve("cut-images"), Arrays.copyOf(full, full.length - 5));
        assertThatThrownBy(() -> IdxReader.readImages(cut)).hasMessageContaining("cut-images").hasMessageContaining("4 images of 3x3");
        Path cutGz = Files.write(dir.resolve("cut-images.gz"), Arrays.copyOf(TestFiles.gzip(full), 30));
        assertThatThrownBy(() -> IdxReader.readImages(cutGz)).isInstanceOf(DatasetFormatException.class).hasMessageContaining("cut-images.gz");
        Path images = Files.write(dir.resolve("images"), full);
        Path labels = Files.write(dir.resolve("labels"), TestFiles.idxLabels(1, 2, 3));
        assertThatThrownBy(() -> IdxReader.read(images, labels, List.of("a", "b", "c", "d"))).hasMessageContaining("3 labels for 4 images");
        Path big = Files.write(dir.resolve("big-labels"), TestFiles.idxLabels(0, 1, 9, 2));
        assertThatThrownBy(() -> IdxReader.read(images, big, List.of("a", "b", "c"))).hasMessageContaining("label 2").hasMessageContaining("value 9");
        Path tiny = Files.write(dir.resolve("tiny"), new byte[] {0, 0, 8});
        assertThatThrownBy(() -> IdxReader.readLabels(tiny)).hasMessageContaining("header");
    }
}
