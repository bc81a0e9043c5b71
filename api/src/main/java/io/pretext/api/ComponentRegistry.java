package io.pretext.api;

import java.util.List;

/**
 * How a component reaches another component: by SPI and id, never by importing its class. A
 * SimCLR task asks for encoder {@code mlp} as its projection head; the registry answers with
 * whatever plugin provides that id.
 */
@ApiStatus(ApiStatus.Status.STABLE)
public interface ComponentRegistry {

    /**
     * @param spi the SPI interface
     * @param id the provider id
     * @param <T> the SPI type
     * @return the provider
     * @throws io.pretext.api.error.UnknownComponentException listing the known ids of that SPI
     */
    <T extends Provider> T get(Class<T> spi, String id);

    /**
     * @param spi the SPI interface
     * @param <T> the SPI type
     * @return every provider of that SPI, sorted by id
     */
    <T extends Provider> List<T> all(Class<T> spi);
}
