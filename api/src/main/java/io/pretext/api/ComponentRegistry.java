package io.pretext.api;

import io.pretext.api.option.ComponentCatalog;
import io.pretext.api.option.OptionSpec;
import java.util.List;
import java.util.Optional;

/**
 * How a component reaches another component: by SPI and id, never by importing its class. A
 * SimCLR task asks for encoder {@code mlp} as its projection head; the registry answers with
 * whatever plugin provides that id.
 *
 * <p>It is also the {@link ComponentCatalog} that options listing components (an augmentation
 * pipeline) are resolved against.
 */
@ApiStatus(ApiStatus.Status.STABLE)
public interface ComponentRegistry extends ComponentCatalog {

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

    @Override
    default List<String> ids(Class<?> spi) {
        return all(spi.asSubclass(Provider.class)).stream().map(Provider::id).sorted().toList();
    }

    @Override
    default Optional<List<OptionSpec>> optionsOf(Class<?> spi, String id) {
        return all(spi.asSubclass(Provider.class)).stream().filter(p -> p.id().equals(id)).findFirst().map(Provider::options);
    }

    @Override
    default String displayName(Class<?> spi) {
        return Spi.of(spi.asSubclass(Provider.class)).displayName();
    }
}
