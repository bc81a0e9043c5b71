package io.pretext.runtime.registry;

import io.pretext.api.Spi;

/**
 * A provider that could not be loaded. The registry keeps loading the others and reports these.
 *
 * @param spi the service interface it was declared for; null when the jar itself could not be read
 * @param origin the jar that declared it
 * @param message what went wrong, naming the provider class where known
 * @param cause the underlying error
 */
public record LoadProblem(Spi spi, ProviderOrigin origin, String message, Throwable cause) {

    /** One line for the CLI and the log: jar, SPI, message and the root cause. */
    public String describe() {
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootText = root == null ? "" : "; cause: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return origin + ": " + (spi == null ? "plugin jar " : spi.displayName() + " provider ") + message + rootText;
    }
}
