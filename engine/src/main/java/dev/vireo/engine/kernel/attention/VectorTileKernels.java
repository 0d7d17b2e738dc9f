package dev.vireo.engine.kernel.attention;

import dev.vireo.engine.kernel.row.VectorWidths;

/**
 * {@link TileKernels} with the JDK Vector API: one generated class per width
 * ({@code VectorTileKernels512}, {@code 256}, {@code 128}, from
 * engine/src/test/resources/templates/VectorTileKernels.java.template), each with its species in a
 * {@code static final} field. A species returned by a virtual method was not always inlined: in
 * the masked tile (a sequence of 9 keys) C2 found "no static binding", and every vector operation
 * there fell to the Vector API's boxed Java fallback (5 GB allocated in 4,000 sentences).
 */
public final class VectorTileKernels {
    private VectorTileKernels() {}

    /** Kernels at a width of 128, 256 or 512 bits. */
    public static TileKernels create(int bits) {
        return VectorWidths.pick(bits, "vector tile kernels", VectorTileKernels128::new, VectorTileKernels256::new, VectorTileKernels512::new);
    }
}
