package io.pretext.api;

import io.pretext.api.option.OptionSpec;
import java.util.List;

/**
 * What every plugin component has: a stable id, a version, a one-line description and the options
 * it takes. Instantiated by {@link java.util.ServiceLoader} through a public no-argument
 * constructor, so a constructor must be cheap: load native libraries or read files only when the
 * component is used, never when it is listed.
 *
 * <p>The set of SPIs is closed; implement one of the six sub-interfaces, not this one.
 */
@ApiStatus(ApiStatus.Status.STABLE)
public sealed interface Provider permits Backend, Encoder, PretextTask, Augmentation, Loss, DataSource {

    /** @return the user-facing id, lower-kebab-case, unique within its SPI (e.g. {@code scarf}) */
    String id();

    /** @return one line saying what the component does */
    String description();

    /**
     * @return the API version the provider was compiled against: implement as
     *     {@code return PretextApi.VERSION;} so the constant is compiled into the plugin
     */
    int apiVersion();

    /** @return the provider's version: the jar's Implementation-Version, or {@code dev} */
    default String version() {
        String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** @return the options this component takes (name, type, default, description) */
    default List<OptionSpec> options() {
        return List.of();
    }
}
