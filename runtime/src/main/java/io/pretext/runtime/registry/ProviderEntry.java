package io.pretext.runtime.registry;

import io.pretext.api.Provider;
import io.pretext.api.Spi;

/**
 * One loaded provider with the SPI it serves and the jar it came from.
 *
 * @param spi the service interface
 * @param provider the instance
 * @param origin where its class was loaded from
 */
public record ProviderEntry(Spi spi, Provider provider, ProviderOrigin origin) {

    /** The provider's id. */
    public String id() {
        return provider.id();
    }
}
