package dev.vireo.models.data;

/**
 * The per-sample work a {@link DataLoader} runs on its worker threads: typically decode the image,
 * preprocess and augment it with {@code context.rng()}, and pick a caption. It must depend only on
 * its arguments, so results do not depend on which worker ran it. Any exception marks the sample
 * as bad (skipped and counted, or fatal in fail-fast mode).
 */
@FunctionalInterface
public interface SampleTransform<S, T> {
    T apply(S sample, SampleContext context) throws Exception;
}
