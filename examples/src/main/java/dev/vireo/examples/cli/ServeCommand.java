package dev.vireo.examples.cli;

import dev.vireo.examples.serve.SearchServer;
import dev.vireo.models.Clip;
import dev.vireo.search.ImageIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code vireo serve}: the search page and JSON API over an index, until interrupted. */
@Command(name = "serve", description = "serve a search page and JSON API over an index made by vireo index (loopback unless --host says otherwise)")
final class ServeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "INDEX", description = "the index folder")
    Path index;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "the address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "the port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--model", paramLabel = "DIR|FILE", description = "the model the index was made with (default: the one it records)")
    Path model;

    @Option(names = "--config", paramLabel = "NAME", description = "the open_clip config of a .safetensors model file")
    String config;

    @Override
    public Integer call() throws Exception {
        Path modelPath = model != null ? model : Path.of(ImageIndex.describe(index).get("model"));
        try (Clip clip = Clip.load(modelPath, config);
             ImageIndex ix = ImageIndex.open(index, clip, modelPath.toAbsolutePath().normalize().toString());
             SearchServer server = start(clip, ix)) {
            System.out.printf("serving %d images of %s at http://%s:%d/ (Ctrl-C stops)%n", ix.size(), index, host, server.port());
            new CountDownLatch(1).await();
        }
        return 0;
    }

    /** The server, once the model has run (see Clip.warmUp): the first searches answer as fast as the rest. */
    private SearchServer start(Clip clip, ImageIndex ix) throws IOException {
        System.err.printf("model warmed up in %.1f s%n", clip.warmUp());
        return SearchServer.start(ix, host, port);
    }
}
