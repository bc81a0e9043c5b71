package io.pretext.runtime.embed;

import io.pretext.api.Backend;
import io.pretext.api.Spi;
import io.pretext.api.backend.Capability;
import io.pretext.api.error.CapabilityException;
import io.pretext.runtime.registry.PluginRegistry;
import java.util.List;
import java.util.Optional;

/** Chooses the backend a command runs on, by capability, never by plugin class. */
final class Backends {
    private Backends() {
    }

    /**
     * @param registry installed providers
     * @param requested the id the user asked for, if any
     * @param capability what the backend must be able to do
     * @param preferred an id to take when installed and capable (e.g. the recipe's backend)
     * @return the backend
     * @throws CapabilityException naming the installed backends that can, or saying none is installed
     */
    static Backend choose(PluginRegistry registry, Optional<String> requested, Capability capability, Optional<String> preferred) {
        List<Backend> capable = registry.all(Backend.class).stream().filter(b -> b.hasCapability(capability)).toList();
        String what = switch (capability) {
            case EXPORT_ONNX -> "write and run ONNX models (the onnx plugin, pretext-plugin-onnx)";
            case INFERENCE -> "run inference";
            case TRAINING -> "train";
            case GPU -> "use a GPU";
        };
        if (requested.isPresent()) {
            Backend b = registry.get(Backend.class, requested.get());
            if (!b.hasCapability(capability)) {
                throw new CapabilityException("backend '" + b.id() + "' cannot " + what + "; "
                        + (capable.isEmpty() ? "no installed backend can" : "use " + ids(capable)));
            }
            return b;
        }
        if (capable.isEmpty()) {
            throw new CapabilityException("no installed backend can " + what + "; installed backends: "
                    + (registry.ids(Spi.BACKEND).isEmpty() ? "none" : String.join(", ", registry.ids(Spi.BACKEND))));
        }
        if (preferred.isPresent()) {
            for (Backend b : capable) {
                if (b.id().equals(preferred.get())) {
                    return b;
                }
            }
        }
        return capable.get(0);
    }

    private static String ids(List<Backend> backends) {
        return String.join(" or ", backends.stream().map(Backend::id).toList());
    }
}
