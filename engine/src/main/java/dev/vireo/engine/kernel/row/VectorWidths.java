package dev.vireo.engine.kernel.row;

import java.util.function.Supplier;

/**
 * Picks a vector family's implementation for a width. Each family has one small subclass per width
 * whose {@code species()} returns a {@code static final} species: C2 turns Vector API calls into
 * machine vectors only where the species is a constant, and a species read from an instance field
 * ran the same loops many times slower. A run uses one width, so each call of {@code species()}
 * inlines to its constant.
 */
public final class VectorWidths {
    private VectorWidths() {}

    /** The implementation for {@code bits} (128, 256 or 512), or a clear error naming {@code what}. */
    public static <T> T pick(int bits, String what, Supplier<T> bits128, Supplier<T> bits256, Supplier<T> bits512) {
        return switch (bits) {
            case 128 -> bits128.get();
            case 256 -> bits256.get();
            case 512 -> bits512.get();
            default -> throw new IllegalArgumentException(what + ": vector width must be 128, 256 or 512 bits, got " + bits);
        };
    }
}
