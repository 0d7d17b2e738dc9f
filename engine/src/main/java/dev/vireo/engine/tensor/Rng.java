package dev.vireo.engine.tensor;

/**
 * A small, fast, seedable random generator (SplitMix64, which passes BigCrush). Its whole state is one long, so checkpoints can
 * save and restore it exactly ({@link #state()}, {@link #setState(long)}).
 */
public final class Rng {
    private long state;
    /** Builds a model whose weights will all be loaded: initialisers give zeros, and nothing is drawn. */
    private final boolean forLoadedWeights;

    public Rng(long seed) {
        this(seed, false);
    }

    private Rng(long seed, boolean forLoadedWeights) {
        this.state = seed;
        this.forLoadedWeights = forLoadedWeights;
    }

    /**
     * For building a model whose every weight is then loaded from a checkpoint (a loader that refuses
     * missing tensors): {@link Tensor#randn} and {@link Tensor#uniform} give zeros instead of drawing,
     * since the values would be overwritten (drawing all-MiniLM-L6-v2's initial weights was 69% of its
     * load time), and any other draw is an error.
     */
    public static Rng forLoadedWeights() {
        return new Rng(0, true);
    }

    /** Whether this generator only builds models whose weights will be loaded ({@link #forLoadedWeights()}). */
    public boolean forLoadedWeightsOnly() {
        return forLoadedWeights;
    }

    /** The next 64 random bits (SplitMix64, Steele, Lea and Flood 2014). */
    public long nextLong() {
        if (forLoadedWeights) throw new IllegalStateException("this Rng builds models whose weights are loaded: it draws nothing");
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /** Standard normal (Box–Muller; one value per pair, so the state stays a single long). */
    public double nextGaussian() {
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2 * Math.log(u1));
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** Fisher–Yates shuffle of {@code values} in place. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** A new generator whose stream is independent of this one's (for worker threads, dropout, ...). */
    public Rng fork() {
        if (forLoadedWeights) return this; // a child module's weights are loaded too
        return new Rng(nextLong());
    }

    /** The whole state, for checkpoints. */
    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }
}
