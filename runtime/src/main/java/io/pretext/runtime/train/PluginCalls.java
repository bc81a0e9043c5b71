package io.pretext.runtime.train;

import io.pretext.api.error.PretextException;
import io.pretext.runtime.recipe.ComponentChoice;
import java.util.function.Supplier;

/**
 * Calls into plugin code so that a plugin's own failure reaches the user as a clear error naming
 * the plugin, its jar and the call, instead of a bare stack trace from somewhere inside it.
 */
final class PluginCalls {

    private PluginCalls() {
    }

    /** Runs {@code call}; an unexpected exception becomes a {@link PretextException} naming the component. */
    static <T> T call(ComponentChoice component, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (PretextException e) {
            throw e;
        } catch (RuntimeException e) {
            String jar = component.provider().map(p -> p.origin().jarName()).orElse("?");
            throw new PretextException(component.spi().displayName() + " '" + component.id() + "' (" + jar + ") failed in " + what + ": "
                    + e, e);
        }
    }
}
