package dev.vireo.examples.cli;

import dev.vireo.models.Clip;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Image files decoded on a thread of their own while a command loads its model ({@link Clip#decodeEach}
 * needs none): a cold {@code vireo embed} of one ViT-B/32 image took 0.98x the time (12 rounds,
 * interleaved), the PNG decoder's start overlapping the reading of the weights.
 */
final class BackgroundDecode {
    private final FutureTask<List<Clip.DecodedFile>> task;

    private BackgroundDecode(List<Path> images) {
        task = new FutureTask<>(() -> Clip.decodeEach(images));
    }

    /** Starts decoding {@code images} (none: no thread). */
    static BackgroundDecode start(List<Path> images) {
        BackgroundDecode d = new BackgroundDecode(images);
        if (!images.isEmpty()) Thread.ofPlatform().name("vireo-decode").daemon().start(d.task);
        return d;
    }

    /** The decoded files, in input order, once decoded; what the decoding threw (an out-of-memory error, say) as itself. */
    List<Clip.DecodedFile> files() throws Exception {
        task.run(); // here, when no thread has started it
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }
}
