package io.pretext.runtime.recipe;

import io.pretext.api.Spi;
import io.pretext.api.option.Options;
import io.pretext.runtime.registry.ProviderEntry;
import java.util.Optional;

/**
 * One component a recipe chose: its section, SPI, id, validated options and the provider found.
 *
 * @param section the recipe section ({@code data}, {@code task}, ...)
 * @param spi the SPI the id is looked up in
 * @param id the provider id
 * @param options the options after defaults and validation (empty when the provider is absent)
 * @param provider the loaded provider; empty only for a backend that is not on the classpath
 */
public record ComponentChoice(String section, Spi spi, String id, Options options, Optional<ProviderEntry> provider) {

    /** The provider, or an error that says plainly that it is not installed. */
    public ProviderEntry require() {
        return provider.orElseThrow(() -> new io.pretext.api.error.PluginLoadException(spi.displayName() + " '" + id
                + "' (recipe section '" + section + "') is not on the classpath or in a plugins folder"));
    }
}
