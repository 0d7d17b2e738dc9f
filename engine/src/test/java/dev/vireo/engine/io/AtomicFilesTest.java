package dev.vireo.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Atomic replacement: the content lands whole, a killed writer's leftovers go, and files get the usual permissions. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheFileAndDeletesWhatAKilledWriterLeft() throws Exception {
        Path target = dir.resolve("ckpt [1].safetensors");
        Files.writeString(target, "old");
        Path leftover = dir.resolve(".ckpt [1].safetensors.3k2j1.tmp"), otherTarget = dir.resolve(".metrics.jsonl.99.tmp");
        Files.writeString(leftover, "torn");
        Files.writeString(otherTarget, "another file's");
        AtomicFiles.writeString(target, "new ü");
        assertThat(Files.readString(target)).isEqualTo("new ü");
        assertThat(leftover).doesNotExist();
        assertThat(otherTarget).exists();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ckpt [1].safetensors", ".metrics.jsonl.99.tmp");
        }
    }

    @Test
    void theFileHasThePermissionsAnyNewFileGets() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions to compare");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.writeString(atomic, "x");
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertThat(Files.getPosixFilePermissions(atomic)).isEqualTo(expected);
    }
}
