package io.pretext.api;

/** The version of this API, which every provider states it was built against. */
@ApiStatus(ApiStatus.Status.STABLE)
public final class PretextApi {
    /**
     * Incremented on every incompatible change of an SPI. A provider returns this constant from
     * {@link Provider#apiVersion()}; being a compile-time constant, it is copied into the plugin's
     * class file, so the registry sees the version the plugin was compiled against.
     */
    public static final int VERSION = 1;

    private PretextApi() {
    }
}
