package dev.vireo.models.data;

import dev.vireo.engine.tensor.Rng;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Turns a list of samples into batches: shuffles by (seed, epoch), cuts batches, and runs the
 * {@link SampleTransform} (decode, preprocess, augment) on its own small pool of worker threads,
 * keeping at most {@code prefetch} batches in preparation so memory stays bounded. The order and
 * content of every batch depend only on the seed and epoch, never on the worker count or timing.
 * A sample whose transform throws is skipped with a warning and counted ({@link #stats()}), or stops
 * the run in fail-fast mode. The pool is separate from the ComputePool: decoding is I/O-bound work
 * that must not steal the cores the model's kernels are chunked for.
 */
public final class DataLoader<S, T> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DataLoader.class.getName());
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final List<S> samples;
    private final SampleTransform<S, T> transform;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int prefetch;
    private final boolean failFast;
    private final ExecutorService pool;
    private final LoaderStats stats = new LoaderStats();

    private DataLoader(Builder<S, T> b) {
        this.samples = List.copyOf(b.samples);
        this.transform = b.transform;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        this.prefetch = b.prefetch;
        this.failFast = b.failFast;
        this.pool = b.workers == 0 ? null : Executors.newFixedThreadPool(b.workers, daemonThreads());
    }

    /** Starts configuring a loader over {@code samples}. */
    public static <S, T> Builder<S, T> builder(List<S> samples, SampleTransform<S, T> transform) {
        return new Builder<>(samples, transform);
    }

    /** Number of samples in the dataset. */
    public int size() {
        return samples.size();
    }

    /** Batches per epoch before any skipping. */
    public int batchesPerEpoch() {
        return dropLast ? samples.size() / batchSize : (samples.size() + batchSize - 1) / batchSize;
    }

    /** The dataset indices of {@code epoch} in the order they are served: a function of seed and epoch only. */
    public int[] order(int epoch) {
        int[] order = new int[samples.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) new Rng(SampleContext.mix(seed, epoch, 0x5348_5546L)).shuffle(order);
        return order;
    }

    /** An iterator over the batches of {@code epoch}; close it to cancel the work it has queued. */
    public Epoch epoch(int epoch) {
        return new Epoch(epoch);
    }

    /** Counters over every epoch served so far. */
    public LoaderStats stats() {
        return stats;
    }

    @Override
    public void close() {
        if (pool == null) return;
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The batches of one epoch, prepared ahead on the worker threads. */
    public final class Epoch implements Iterator<Batch<T>>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int batches;
        private final ArrayDeque<Pending<T>> pending = new ArrayDeque<>();
        private int submitted;
        private Batch<T> ready;
        private boolean closed;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.batches = batchesPerEpoch();
            fill();
        }

        @Override
        public boolean hasNext() {
            if (ready == null) ready = advance();
            return ready != null;
        }

        @Override
        public Batch<T> next() {
            if (!hasNext()) throw new NoSuchElementException("epoch " + epoch + " has no more batches");
            Batch<T> batch = ready;
            ready = null;
            return batch;
        }

        /** Cancels queued work; the loader stays usable for other epochs. */
        @Override
        public void close() {
            closed = true;
            for (Pending<T> p : pending) for (Future<T> f : p.futures) if (f != null) f.cancel(true);
            pending.clear();
        }

        /** Queues batches until {@code prefetch} are in preparation (none ahead without workers). */
        private void fill() {
            while (pool != null && !closed && pending.size() < prefetch && submitted < batches) pending.add(submit(submitted++));
        }

        private Pending<T> submit(int number) {
            int from = number * batchSize;
            int to = Math.min(from + batchSize, order.length);
            int[] indices = new int[to - from];
            System.arraycopy(order, from, indices, 0, indices.length);
            List<Future<T>> futures = new ArrayList<>(indices.length);
            for (int index : indices) {
                futures.add(pool == null ? null : pool.submit(() -> transform.apply(samples.get(index), new SampleContext(seed, epoch, index))));
            }
            return new Pending<>(number, indices, futures);
        }

        /** The next batch with at least one good sample, or null at the end of the epoch. */
        private Batch<T> advance() {
            while (!closed) {
                Pending<T> p;
                if (!pending.isEmpty()) {
                    p = pending.poll();
                } else if (submitted < batches) {
                    p = submit(submitted++);
                } else {
                    return null;
                }
                Batch<T> batch = collect(p);
                fill();
                if (batch.size() > 0) return batch;
            }
            return null;
        }

        private Batch<T> collect(Pending<T> p) {
            List<T> items = new ArrayList<>(p.indices.length);
            int[] kept = new int[p.indices.length];
            for (int i = 0; i < p.indices.length; i++) {
                int index = p.indices[i];
                try {
                    T item = result(p.futures.get(i), index);
                    if (item == null) throw new IllegalStateException("the transform returned null");
                    items.add(item);
                    kept[items.size() - 1] = index;
                    stats.recordLoaded();
                } catch (DataLoaderException e) {
                    throw e;
                } catch (Exception e) {
                    String source = describe(samples.get(index));
                    if (failFast) {
                        close();
                        throw new DataLoaderException("epoch " + epoch + ", sample " + index + " (" + source + "): " + e, e);
                    }
                    stats.recordSkipped(new SkippedSample(epoch, index, source, String.valueOf(e)));
                    LOG.warning("skipping sample " + index + " (" + source + ") in epoch " + epoch + ": " + e);
                }
            }
            return new Batch<>(epoch, p.number, items, Arrays.copyOf(kept, items.size()));
        }

        private T result(Future<T> future, int index) throws Exception {
            if (future == null) return transform.apply(samples.get(index), new SampleContext(seed, epoch, index));
            try {
                return future.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new DataLoaderException("epoch " + epoch + ": interrupted while waiting for sample " + index, e);
            }
        }
    }

    private record Pending<T>(int number, int[] indices, List<Future<T>> futures) {}

    private static String describe(Object sample) {
        return switch (sample) {
            case ImageTextSample s -> s.image().name();
            case LabelledImage s -> s.image().name();
            case ImageSource s -> s.name();
            default -> {
                String text = String.valueOf(sample);
                yield text.length() <= 100 ? text : text.substring(0, 97) + "...";
            }
        };
    }

    private static ThreadFactory daemonThreads() {
        int poolNumber = POOL_NUMBER.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "vireo-data-" + poolNumber + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Loader settings; every one has a sensible default except the samples and the transform. */
    public static final class Builder<S, T> {
        private final List<S> samples;
        private final SampleTransform<S, T> transform;
        private int batchSize = 32;
        private boolean shuffle = true;
        private boolean dropLast;
        private long seed;
        private int workers = 2;
        private int prefetch = 2;
        private boolean failFast;

        private Builder(List<S> samples, SampleTransform<S, T> transform) {
            this.samples = samples;
            this.transform = transform;
        }

        public Builder<S, T> batchSize(int batchSize) {
            if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batchSize must be at least 1, got " + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffle each epoch (default); false serves the dataset in order, for evaluation. */
        public Builder<S, T> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Drop the last batch when it would be shorter than the batch size. */
        public Builder<S, T> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public Builder<S, T> seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Worker threads; 0 runs the transform on the caller's thread with no prefetch. */
        public Builder<S, T> workers(int workers) {
            if (workers < 0) throw new IllegalArgumentException("DataLoader: workers must be >= 0, got " + workers);
            this.workers = workers;
            return this;
        }

        /** Batches prepared ahead of the consumer (at least 1). */
        public Builder<S, T> prefetch(int prefetch) {
            if (prefetch < 1) throw new IllegalArgumentException("DataLoader: prefetch must be at least 1, got " + prefetch);
            this.prefetch = prefetch;
            return this;
        }

        /** Stop at the first bad sample instead of skipping it. */
        public Builder<S, T> failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        public DataLoader<S, T> build() {
            return new DataLoader<>(this);
        }
    }
}
