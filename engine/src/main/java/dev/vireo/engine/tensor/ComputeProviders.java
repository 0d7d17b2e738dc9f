package dev.vireo.engine.tensor;

import dev.vireo.engine.VireoProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/** Finds {@link ComputeProvider}s through {@link ServiceLoader} and holds the chosen one. */
final class ComputeProviders {
    private static final Logger LOG = Logger.getLogger(ComputeProviders.class.getName());
    private static final String CPU = "cpu";

    private ComputeProviders() {}

    static ComputeProvider chosen() {
        if (Holder.INSTANCE == null) throw new IllegalStateException(Holder.ERROR.getMessage(), Holder.ERROR);
        return Holder.INSTANCE;
    }

    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (ComputeProvider p : load()) {
            if (p.name().equals(CPU)) names.addFirst(p.name());
            else names.add(p.name());
        }
        return names;
    }

    /** Every provider on the class path; a provider that fails to start says why (its own message, not the loader's). */
    private static List<ComputeProvider> load() {
        try {
            return ServiceLoader.load(ComputeProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        } catch (ServiceConfigurationError e) {
            Throwable cause = e;
            while (cause.getCause() != null) cause = cause.getCause();
            throw new IllegalStateException(cause.getMessage() != null ? cause.getMessage() : e.getMessage(), e);
        }
    }

    /** The provider named {@code wanted}, or a one-line error: unknown (naming those found), or unavailable (saying why). */
    static ComputeProvider find(String wanted) {
        for (ComputeProvider p : load()) {
            if (!p.name().equals(wanted)) continue;
            if (!p.isAvailable()) {
                throw new IllegalStateException("-D" + VireoProperties.DEVICE + "=" + wanted + ": " + p.unavailableReason());
            }
            LOG.fine(() -> "Vireo compute provider: " + p.name() + " on kernels " + p.kernels().name());
            return p;
        }
        throw new IllegalStateException("-D" + VireoProperties.DEVICE + "=" + wanted + ": no such compute provider; found " + names());
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
