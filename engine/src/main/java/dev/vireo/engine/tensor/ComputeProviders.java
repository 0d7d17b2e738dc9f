package dev.vireo.engine.tensor;

import dev.vireo.engine.VireoProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/** Finds {@link ComputeProvider}s through {@link ServiceLoader} and holds the chosen one. */
final class ComputeProviders {
    private static final Logger LOG = Logger.getLogger(ComputeProviders.class.getName());
    private static final String CPU = "cpu";

    private ComputeProviders() {}

    static ComputeProvider chosen() {
        return Holder.INSTANCE;
    }

    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (ComputeProvider p : ServiceLoader.load(ComputeProvider.class)) {
            if (p.name().equals(CPU)) names.addFirst(p.name());
            else names.add(p.name());
        }
        return names;
    }

    private static final class Holder {
        static final ComputeProvider INSTANCE = choose();

        private static ComputeProvider choose() {
            String wanted = VireoProperties.get(VireoProperties.DEVICE, CPU);
            for (ComputeProvider p : ServiceLoader.load(ComputeProvider.class)) {
                if (!p.name().equals(wanted)) continue;
                if (!p.isAvailable()) {
                    throw new IllegalStateException("-D" + VireoProperties.DEVICE + "=" + wanted + ": " + p.unavailableReason());
                }
                LOG.fine(() -> "Vireo compute provider: " + p.name() + " on kernels " + p.kernels().name());
                return p;
            }
            throw new IllegalStateException("-D" + VireoProperties.DEVICE + "=" + wanted + ": no such compute provider; found "
                    + names());
        }
    }
}
