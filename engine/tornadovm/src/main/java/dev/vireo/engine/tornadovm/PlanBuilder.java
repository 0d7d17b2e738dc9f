package dev.vireo.engine.tornadovm;

import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * The tasks of one {@link DevicePlan} as they are added: the task graph, and the launch geometry of
 * the tasks that choose their own (the tiled GEMM's work-groups). Linear layers go through
 * {@link #linear}, which picks the kernel the plan was made for.
 */
final class PlanBuilder {
    private final String name;
    private final TaskGraph graph;
    private final boolean tiledGemm;
    private GridScheduler grid;

    PlanBuilder(String name, TaskGraph graph, boolean tiledGemm) {
        this.name = name;
        this.graph = graph;
        this.tiledGemm = tiledGemm;
    }

    TaskGraph graph() {
        return graph;
    }

    /** y (rows, out) = act(x·wᵀ + b) + residual as task {@code id}: {@link TornadoKernels#linearTiled} or {@link TornadoKernels#linear}. */
    PlanBuilder linear(String id, FloatArray x, FloatArray w, FloatArray b, FloatArray residual, FloatArray y,
                       int rows, int in, int out, int hasBias, int hasResidual, int activation) {
        if (!tiledGemm) {
            graph.task(id, TornadoKernels::linear, x, w, b, residual, y, rows, in, out, hasBias, hasResidual, activation);
            return this;
        }
        int tile = TornadoKernels.TILE;
        WorkerGrid2D worker = new WorkerGrid2D(roundUp(rows, tile), roundUp(out, tile));
        worker.setLocalWork(tile, tile, 1);
        if (grid == null) grid = new GridScheduler();
        grid.addWorkerGrid(name + "." + id, worker);
        graph.task(id, TornadoKernels::linearTiled, new KernelContext(), x, w, b, residual, y, rows, in, out, hasBias, hasResidual, activation);
        return this;
    }

    /** The geometry of the tasks that set their own, or null. */
    GridScheduler grid() {
        return grid;
    }

    private static int roundUp(int n, int tile) {
        return (n + tile - 1) / tile * tile;
    }
}
