package dev.vireo.examples.cli;

import dev.vireo.examples.serve.VqaServer;
import dev.vireo.models.vqa.VisualQuestionAnswerer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code vireo serve-vqa}: the visual question answering page and JSON API over a model, until interrupted. */
@Command(name = "serve-vqa", description = {"serve a visual question answering page and JSON API over a model vireo vqa loads",
        "(loopback unless --host says otherwise)"})
final class ServeVqaCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "RUN",
            description = "a Vireo VQA run folder (vireo finetune --task vqa), or a Hugging Face ViltForQuestionAnswering or BlipForQuestionAnswering folder")
    Path model;

    @Option(names = "--examples", paramLabel = "DIR", description = "a folder of example pictures the page offers (its JPEG, PNG, GIF and BMP files)")
    Path examples;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "the address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "the port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Override
    public Integer call() throws Exception {
        try (VisualQuestionAnswerer answerer = VisualQuestionAnswerers.load(model); // a missing or foreign folder is refused here
             VqaServer server = VqaServer.start(answerer, model.toAbsolutePath().normalize().getFileName().toString(), examples, host, port)) {
            System.out.printf("serving %s at http://%s:%d/ (Ctrl-C stops)%n", model, host, server.port());
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
