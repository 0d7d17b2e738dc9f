package dev.vireo.engine.tensor;

import dev.vireo.engine.VireoProperties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Finds {@link ComputeProvider}s through {@link ServiceLoader}, one instance per name for the life of
 * the process (a device provider holds resident weights and compiled plans), and holds the chosen one:
 * the one bound for the current call ({@link ComputeProvider#using}), else the process-wide choice.
 */
final class ComputeProviders {
    private static final Logger LOG = Logger.getLogger(ComputeProviders.class.getName());
    private static final String CPU = "cpu";
    private static final ScopedValue<ComputeProvider> SCOPED = ScopedValue.newInstance();
    private static Map<String, ComputeProvider> instances; // by name, cpu first; loaded once

    private ComputeProviders() {}

    static ComputeProvider chosen() {
        if (SCOPED.isBound()) return SCOPED.get();
        if (Holder.INSTANCE == null) throw new IllegalStateException(Holder.ERROR.getMessage(), Holder.ERROR);
        return Holder.INSTANCE;
    }

    static <T, X extends Throwable> T using(ComputeProvider provider, ScopedValue.CallableOp<? extends T, X> work) throws X {
        return ScopedValue.where(SCOPED, provider).call(work);
    }

    static List<String> names() {
        return new ArrayList<>(load().keySet());
    }

    /** Each provider found, with null when it can run here or the one line saying why not. */
    static Map<String, String> statuses() {
        Map<String, String> out = new LinkedHashMap<>();
        load().forEach((name, p) -> out.put(name, p.unavailableReason()));
        return out;
    }

    /** Every provider on the class path by name, cpu first; a provider that fails to start says why (its own message, not the loader's). */
    private static synchronized Map<String, ComputeProvider> load() {
        if (instances != null) return instances;
        try {
            Map<String, ComputeProvider> found = new LinkedHashMap<>();
            List<ComputeProvider> all = ServiceLoader.load(ComputeProvider.class).stream().map(ServiceLoader.Provider::get).toList();
            all.stream().filter(p -> p.name().equals(CPU)).forEach(p -> found.put(p.name(), p));
            all.forEach(p -> found.putIfAbsent(p.name(), p));
            instances = found;
            return found;
        } catch (ServiceConfigurationError e) {
            Throwable cause = e;
            while (cause.getCause() != null) cause = cause.getCause();
            throw new IllegalStateException(cause.getMessage() != null ? cause.getMessage() : e.getMessage(), e);
        }
    }

    /** The provider named {@code wanted}, or a one-line error: unknown (naming those found), or unavailable (saying why). */
    static ComputeProvider find(String wanted) {
        return find(wanted, "-D" + VireoProperties.DEVICE + "=" + wanted);
    }

    /** As {@link #find(String)}, the error starting with {@code label} (where the name came from). */
    static ComputeProvider find(String wanted, String label) {
        ComputeProvider p = load().get(wanted);
        if (p == null) throw new IllegalStateException(label + ": no such compute provider; found " + names());
        if (!p.isAvailable()) throw new IllegalStateException(label + ": " + p.unavailableReason());
        LOG.fine(() -> "Vireo compute provider: " + p.name() + " on kernels " + p.kernels().name());
        return p;
    }

    private static final class Holder {
        static RuntimeException ERROR; // why no provider could be chosen: thrown again at every use, as one line
        static final ComputeProvider INSTANCE = chooseOrRemember();

        private static ComputeProvider chooseOrRemember() {
            try {
                return find(VireoProperties.get(VireoProperties.DEVICE, CPU));
            } catch (RuntimeException e) {
                ERROR = e;
                return null;
            }
        }
    }
}
