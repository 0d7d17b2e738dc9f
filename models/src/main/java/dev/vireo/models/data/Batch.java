package dev.vireo.models.data;

import java.util.List;

/**
 * One batch from a {@link DataLoader}: the prepared items in order and the dataset indices they
 * came from. A batch is shorter than the batch size when samples were skipped as bad, or when it is
 * the last, partial batch of an epoch.
 */
public record Batch<T>(int epoch, int number, List<T> items, int[] indices) {
    public Batch {
        items = List.copyOf(items);
        if (indices.length != items.size()) {
            throw new IllegalArgumentException("Batch: " + items.size() + " items but " + indices.length + " indices");
        }
    }

    public int size() {
        return items.size();
    }
}
