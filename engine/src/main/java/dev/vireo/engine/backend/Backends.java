package dev.vireo.engine.backend;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds backends: the CPU backend is always there; device backends register through
 * {@link ServiceLoader} ({@code META-INF/services/dev.vireo.engine.backend.BackendProvider}) so that
 * a TornadoVM module can be added to the class path without Vireo's core depending on it.
 */
public final class Backends {
    private Backends() {}

    /** Supplies a backend when its runtime is present. */
    public interface BackendProvider {
        /** The backend's name, as used by {@link #open(String)}. */
        String name();

        /** True if the runtime (drivers, SDK) is present, checked without touching it unsafely. */
        boolean available();

        Backend open();
    }

    /** Names of all backends usable here, {@code cpu} first. */
    public static List<String> available() {
        var names = new java.util.ArrayList<String>();
        names.add("cpu");
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) if (p.available()) names.add(p.name());
        return names;
    }

    /** Opens a backend by name, with an error listing the available ones. */
    public static Backend open(String name) {
        if (name.equals("cpu")) return new CpuBackend();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals(name)) {
                if (!p.available()) throw new IllegalStateException("backend " + name + " is installed but its runtime is not available");
                return p.open();
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; available: " + available());
    }
}
