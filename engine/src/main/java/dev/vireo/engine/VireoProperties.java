package dev.vireo.engine;

/**
 * Every system property Vireo reads, in one place. Each is read once, when the component that
 * uses it starts; set them on the command line ({@code -Dvireo.threads=1}) or in {@code VIREO_JAVA_OPTS}.
 */
public final class VireoProperties {
    /** {@code scalar}, {@code vector} or {@code auto} (default): which kernel implementation runs. */
    public static final String KERNELS = "vireo.kernels";
    /** {@code 128}, {@code 256} or {@code 512}: forces the vector width; default is the CPU's preferred one. */
    public static final String VECTOR_BITS = "vireo.vectorBits";
    /** The compute provider ops run on: {@code cpu} (default) or a device provider on the class path. */
    public static final String DEVICE = "vireo.device";
    /** Worker threads of the {@code ComputePool}; default: available processors. */
    public static final String THREADS = "vireo.threads";
    /**
     * Milliseconds after the global {@code ComputePool} starts during which its parallel calls run on
     * the calling thread alone; default 0. {@code bin/vireo}'s one-shot commands set it: in a fresh JVM
     * the kernels run in slow early code until C2 has compiled them, and a second compute thread only
     * takes the core the compiler needs.
     */
    public static final String SOLO_START_MILLIS = "vireo.soloStartMillis";
    /** Folder for downloaded data ({@code bin/vireo data fetch}); default {@code ./data}. */
    public static final String DATA_DIR = "vireo.dataDir";
    /** MiB of activation arrays each thread may keep for reuse in forward passes without gradients; 0 disables; default 512. */
    public static final String BUFFER_POOL_MB = "vireo.bufferPoolMb";

    /**
     * {@code true} (default) or {@code false}: whether the CPU provider keeps a packed copy of each
     * registered weight from its second use. {@code bin/vireo}'s one-shot commands set it to false: a
     * process that runs each weight over a few batches gains less from the copies than it pays to make
     * them and to compile the kernels that read them.
     */
    public static final String PACK_WEIGHTS = "vireo.packWeights";

    /**
     * The most pixels (width × height) an image file may declare; a larger one is refused before it is
     * decoded (a decompression bomb). Default 178,956,970: PIL's {@code DecompressionBombError} threshold,
     * twice its {@code Image.MAX_IMAGE_PIXELS}.
     */
    public static final String MAX_IMAGE_PIXELS = "vireo.maxImagePixels";

    private VireoProperties() {}

    /** The property's value, or {@code fallback} when it is unset or blank. */
    public static String get(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The property as a long, with a clear error when it is not one. */
    public static long getLong(String name, long fallback) {
        String value = get(name, null);
        if (value == null) return fallback;
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + "=" + value + ": expected a whole number", e);
        }
    }

    /** The property as a boolean ({@code true} or {@code false}), with a clear error when it is neither. */
    public static boolean getBoolean(String name, boolean fallback) {
        String value = get(name, null);
        if (value == null) return fallback;
        if (value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("-D" + name + "=" + value + ": expected true or false");
    }

    /** The property as an int, with a clear error when it is not one. */
    public static int getInt(String name, int fallback) {
        long value = getLong(name, fallback);
        if (value != (int) value) throw new IllegalArgumentException("-D" + name + "=" + value + ": too large");
        return (int) value;
    }
}
