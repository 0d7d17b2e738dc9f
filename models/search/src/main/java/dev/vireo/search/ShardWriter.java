package dev.vireo.search;

import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one index of embeddings computed elsewhere (a Spark partition of {@code vireo spark embed}'s
 * table): the same documents {@code vireo index} writes, into a fresh folder, for
 * {@link ImageIndex#joinShards} to join with its siblings. Nothing is searchable before {@link #close()}
 * commits.
 */
public final class ShardWriter implements AutoCloseable {
    private final Directory directory;
    private final IndexWriter writer;
    private final int dimension;
    private int added;

    /**
     * Creates the shard in {@code dir}, which must be empty or absent; {@code modelSha256} is the SHA-256
     * of the weights that made the vectors (as {@code vireo index} records it).
     */
    public ShardWriter(Path dir, String modelName, String modelSha256, int dimension) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) throw new IllegalArgumentException("shard folder " + dir + " is not empty");
            }
        }
        if (dimension < 1) throw new IllegalArgumentException("shard " + dir + ": dimension must be positive, got " + dimension);
        Files.createDirectories(dir);
        new IndexManifest(IndexManifest.FORMAT, modelName, modelSha256, dimension).write(dir);
        this.dimension = dimension;
        this.directory = FSDirectory.open(dir);
        this.writer = new IndexWriter(directory, VectorFormat.writerConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE));
    }

    /** Adds one image: its path (as search results will show it), size, modification time (ms), content SHA-256, embedding. */
    public void add(String path, long size, long mtime, String sha256, float[] embedding) throws IOException {
        if (embedding.length != dimension) {
            throw new IllegalArgumentException("shard: an embedding of " + embedding.length + " values for an index of " + dimension);
        }
        writer.addDocument(ImageIndex.document(Path.of(path), size, mtime, sha256, embedding));
        added++;
    }

    /** Images added so far. */
    public int size() {
        return added;
    }

    /** Commits and closes: the shard is complete. */
    @Override
    public void close() throws IOException {
        try {
            writer.commit();
            writer.close();
        } finally {
            directory.close();
        }
    }
}
