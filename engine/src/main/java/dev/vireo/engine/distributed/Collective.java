package dev.vireo.engine.distributed;

import java.io.IOException;

/**
 * The operations data-parallel training needs between its K ranks: an element-wise sum of a buffer,
 * a gather of equal-length arrays and a barrier. Every rank calls the same operations in the same
 * order with buffers of the same length; results are deterministic (the same inputs give the same
 * bits on every rank and in every run). Not thread-safe: one thread per rank calls it.
 */
public interface Collective extends AutoCloseable {
    /** This rank, in {@code [0, size)}. */
    int rank();

    /** The number of ranks, K. */
    int size();

    /** Sums buffer element-wise over all ranks, in place; every rank ends with identical bits. */
    void allReduceSum(float[] buffer) throws IOException;

    /** The ranks' arrays (all the same length) concatenated in rank order, identical on every rank. */
    float[] allGather(float[] local) throws IOException;

    /** Waits until every rank has called it. */
    void barrier() throws IOException;

    /** The collective of a process that trains alone: size 1, rank 0, every operation a no-op (a gather returns a copy). */
    static Collective single() {
        return SingleCollective.INSTANCE;
    }

    @Override
    void close() throws IOException;
}
