package io.pretext.api.option;

/** The value types an option can take. */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public enum OptionType {
    /** A whole number ({@code long} range). */
    INTEGER,
    /** A real number. */
    DECIMAL,
    /** true or false. */
    BOOLEAN,
    /** Free text (paths, names). */
    TEXT,
    /** One of a fixed list of words. */
    CHOICE,
    /** A list of whole numbers, e.g. layer widths {@code [256, 256]}. */
    INTEGER_LIST,
    /**
     * A list of components of one SPI, each with its own options, e.g. an augmentation pipeline
     * {@code [{id: random-affine, degrees: 15}, {id: gaussian-noise, sigma: 0.1}]}. Each element
     * is resolved against the options its provider declares ({@link ComponentValue}).
     */
    COMPONENT_LIST
}
