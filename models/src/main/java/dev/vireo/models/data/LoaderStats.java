package dev.vireo.models.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Counters of a {@link DataLoader}: samples prepared and samples skipped as bad, with the first
 * {@link #KEPT} skipped ones kept for the report. Updated on the consumer thread in batch order,
 * so the record is the same whatever the number of workers.
 */
public final class LoaderStats {
    /** How many skipped samples are remembered in detail. */
    public static final int KEPT = 100;

    private long loaded;
    private long skipped;
    private final List<SkippedSample> details = new ArrayList<>();

    synchronized void recordLoaded() {
        loaded++;
    }

    synchronized void recordSkipped(SkippedSample sample) {
        skipped++;
        if (details.size() < KEPT) details.add(sample);
    }

    /** Samples prepared successfully, over all epochs. */
    public synchronized long loaded() {
        return loaded;
    }

    /** Samples skipped, over all epochs. */
    public synchronized long skipped() {
        return skipped;
    }

    /** The first skipped samples, in the order they were met. */
    public synchronized List<SkippedSample> skippedSamples() {
        return List.copyOf(details);
    }

    @Override
    public synchronized String toString() {
        return "LoaderStats[loaded=" + loaded + ", skipped=" + skipped + "]";
    }
}
