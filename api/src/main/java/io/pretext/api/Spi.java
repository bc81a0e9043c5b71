package io.pretext.api;

/** The six service-provider interfaces, with the names users see in messages and listings. */
@ApiStatus(ApiStatus.Status.STABLE)
public enum Spi {
    /** Computation engines. */
    BACKEND("backend", Backend.class),
    /** Networks that turn an example into an embedding. */
    ENCODER("encoder", Encoder.class),
    /** Self-supervised objectives. */
    PRETEXT_TASK("pretext task", PretextTask.class),
    /** Host-side example transforms. */
    AUGMENTATION("augmentation", Augmentation.class),
    /** Backend-neutral losses. */
    LOSS("loss", Loss.class),
    /** Readers of user data. */
    DATA_SOURCE("data source", DataSource.class);

    private final String displayName;
    private final Class<? extends Provider> type;

    Spi(String displayName, Class<? extends Provider> type) {
        this.displayName = displayName;
        this.type = type;
    }

    /** @return the name used in messages, e.g. "pretext task" */
    public String displayName() {
        return displayName;
    }

    /** @return the SPI interface */
    public Class<? extends Provider> type() {
        return type;
    }

    /**
     * @param type an SPI interface
     * @return its enum constant
     */
    public static Spi of(Class<? extends Provider> type) {
        for (Spi s : values()) {
            if (s.type == type) {
                return s;
            }
        }
        throw new IllegalArgumentException(type + " is not one of the six SPIs");
    }
}
