package dev.vireo.bench.fuzz;

import dev.vireo.engine.io.CheckpointFormatException;
import dev.vireo.engine.io.json.JsonException;
import dev.vireo.models.data.DataLoaderException;
import dev.vireo.models.data.DatasetFormatException;
import dev.vireo.models.image.ImageDecodeException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Feeds one target mutated inputs and sorts what happens: accepted, a clean error (one of Vireo's
 * error types, or an IllegalArgumentException / IOException that Vireo's own code raised with a
 * one-line message), a crash (any other throwable), OutOfMemoryError, StackOverflowError, or a hang
 * (no answer in the time limit). Each input runs on a worker thread whose allocation is measured, so
 * the largest allocation per input is a figure too.
 */
final class Fuzzer {
    /** What the inputs of one target gave. */
    static final class Tally {
        long inputs, accepted, cleanErrors, crashes, outOfMemory, stackOverflows, hangs, maxAllocatedBytes;
        final Map<String, String> crashExamples = new LinkedHashMap<>(); // signature → its first message

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("inputs", inputs);
            m.put("accepted", accepted);
            m.put("clean_errors", cleanErrors);
            m.put("crashes", crashes);
            m.put("out_of_memory", outOfMemory);
            m.put("stack_overflows", stackOverflows);
            m.put("hangs", hangs);
            m.put("max_allocated_bytes_per_input", maxAllocatedBytes);
            m.put("crash_examples", crashExamples);
            return m;
        }
    }

    private enum Outcome { ACCEPTED, CLEAN, CRASH, OOM, STACK_OVERFLOW }

    private record Result(Outcome outcome, String signature, String message, long allocated) {}

    private final long timeoutMillis;
    private ExecutorService worker = newWorker();

    Fuzzer(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    Tally run(FuzzTarget target, int inputs, long seed) {
        Mutator mutator = new Mutator(seed);
        Tally tally = new Tally();
        for (int i = 0; i < inputs; i++) {
            byte[] input = mutator.mutate(target.seeds().get(i % target.seeds().size()));
            tally.inputs++;
            Future<Result> f = worker.submit(() -> attempt(target.parser(), input));
            Result r;
            try {
                r = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                tally.hangs++;
                f.cancel(true);
                worker.shutdownNow(); // the stuck thread is abandoned (daemon); the next input gets a fresh one
                worker = newWorker();
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("fuzzing interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("fuzz worker failed", e.getCause());
            }
            tally.maxAllocatedBytes = Math.max(tally.maxAllocatedBytes, r.allocated());
            switch (r.outcome()) {
                case ACCEPTED -> tally.accepted++;
                case CLEAN -> tally.cleanErrors++;
                case OOM -> tally.outOfMemory++;
                case STACK_OVERFLOW -> tally.stackOverflows++;
                case CRASH -> {
                    tally.crashes++;
                    if (tally.crashExamples.size() < 5) tally.crashExamples.putIfAbsent(r.signature(), r.message());
                }
            }
        }
        return tally;
    }

    void close() {
        worker.shutdownNow();
    }

    private static Result attempt(FuzzTarget.Parser parser, byte[] input) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Outcome outcome;
        String signature = null, message = null;
        try {
            parser.parse(input);
            outcome = Outcome.ACCEPTED;
        } catch (OutOfMemoryError e) {
            outcome = Outcome.OOM;
        } catch (StackOverflowError e) {
            outcome = Outcome.STACK_OVERFLOW;
        } catch (Throwable t) {
            outcome = clean(t) ? Outcome.CLEAN : Outcome.CRASH;
            StackTraceElement top = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
            signature = t.getClass().getName() + (top == null ? "" : " at " + top.getClassName() + "." + top.getMethodName());
            message = String.valueOf(t.getMessage());
        }
        return new Result(outcome, signature, message, threads.getCurrentThreadAllocatedBytes() - before);
    }

    /** Vireo's own one-line errors. */
    static boolean clean(Throwable t) {
        if (t instanceof ImageDecodeException || t instanceof CheckpointFormatException || t instanceof JsonException
                || t instanceof DatasetFormatException || t instanceof DataLoaderException) {
            return oneLine(t.getMessage());
        }
        if (t instanceof IllegalArgumentException || t instanceof IOException || t instanceof UncheckedIOException) {
            StackTraceElement[] trace = t.getStackTrace();
            return trace.length > 0 && trace[0].getClassName().startsWith("dev.vireo.") && oneLine(t.getMessage());
        }
        return false;
    }

    private static boolean oneLine(String message) {
        return message != null && !message.isBlank() && !message.contains("\n");
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vireo-fuzz");
            t.setDaemon(true);
            return t;
        });
    }
}
