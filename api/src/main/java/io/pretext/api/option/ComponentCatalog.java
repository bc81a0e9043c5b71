package io.pretext.api.option;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where {@link Options#resolve(String, List, java.util.Map, ComponentCatalog)} finds the providers
 * that the elements of a {@link OptionType#COMPONENT_LIST} option name, and the options they
 * declare. The run's {@code ComponentRegistry} is one.
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public interface ComponentCatalog {

    /** A catalog that knows no provider: resolving a non-empty component list against it fails. */
    ComponentCatalog EMPTY = new ComponentCatalog() {
        @Override
        public List<String> ids(Class<?> spi) {
            return List.of();
        }

        @Override
        public Optional<List<OptionSpec>> optionsOf(Class<?> spi, String id) {
            return Optional.empty();
        }
    };

    /**
     * @param spi an SPI interface, e.g. {@code Augmentation.class}
     * @return the ids of its providers, sorted
     */
    List<String> ids(Class<?> spi);

    /**
     * @param spi an SPI interface
     * @param id a provider id
     * @return the options that provider declares; empty when no provider of that SPI has the id
     */
    Optional<List<OptionSpec>> optionsOf(Class<?> spi, String id);

    /**
     * @param spi an SPI interface
     * @return its name in messages, e.g. {@code augmentation}
     */
    default String displayName(Class<?> spi) {
        return spi.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
