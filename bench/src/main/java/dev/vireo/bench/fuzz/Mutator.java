package dev.vireo.bench.fuzz;

import dev.vireo.engine.tensor.Rng;

import java.util.Arrays;

/**
 * Seeded byte-level mutations of a valid file, the kinds that find parser bugs (as AFL's havoc stage
 * does): bit flips, bytes set to boundary values, 32-bit fields set to huge or negative sizes,
 * insertions, deletions, duplicated and truncated runs. One to four per input; the same seed gives
 * the same inputs.
 */
final class Mutator {
    private static final int[] BOUNDARY_BYTES = {0x00, 0x01, 0x7F, 0x80, 0xFF};
    private static final int[] BOUNDARY_INTS = {0, -1, 0x7FFFFFFF, 0x80000000, 0xFFFF, 60000, 1 << 30, 65535 * 65535};

    private final Rng rng;

    Mutator(long seed) {
        this.rng = new Rng(seed);
    }

    byte[] mutate(byte[] seed) {
        byte[] x = seed.clone();
        int count = 1 + rng.nextInt(4);
        for (int i = 0; i < count; i++) x = once(x);
        return x;
    }

    private byte[] once(byte[] x) {
        if (x.length == 0) return new byte[] {(byte) rng.nextInt(256)};
        int at = rng.nextInt(x.length);
        switch (rng.nextInt(8)) {
            case 0 -> x[at] ^= (byte) (1 << rng.nextInt(8));
            case 1 -> x[at] = (byte) BOUNDARY_BYTES[rng.nextInt(BOUNDARY_BYTES.length)];
            case 2 -> {
                int v = BOUNDARY_INTS[rng.nextInt(BOUNDARY_INTS.length)];
                boolean big = rng.nextInt(2) == 0;
                for (int b = 0; b < 4 && at + b < x.length; b++) x[at + b] = (byte) (big ? v >>> (24 - 8 * b) : v >>> (8 * b));
            }
            case 3 -> { // insert up to 16 random bytes
                int n = 1 + rng.nextInt(16);
                byte[] y = new byte[x.length + n];
                System.arraycopy(x, 0, y, 0, at);
                for (int b = 0; b < n; b++) y[at + b] = (byte) rng.nextInt(256);
                System.arraycopy(x, at, y, at + n, x.length - at);
                return y;
            }
            case 4 -> { // delete a run
                int n = Math.min(x.length - at, 1 + rng.nextInt(64));
                byte[] y = new byte[x.length - n];
                System.arraycopy(x, 0, y, 0, at);
                System.arraycopy(x, at + n, y, at, x.length - at - n);
                return y;
            }
            case 5 -> { // duplicate a run in place of another
                int n = Math.min(x.length - at, 1 + rng.nextInt(64)), to = rng.nextInt(x.length);
                System.arraycopy(x.clone(), at, x, to, Math.min(n, x.length - to));
            }
            case 6 -> {
                return Arrays.copyOf(x, at); // truncate
            }
            default -> x[at] = (byte) rng.nextInt(256);
        }
        return x;
    }
}
