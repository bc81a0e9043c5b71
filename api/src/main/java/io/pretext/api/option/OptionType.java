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
    INTEGER_LIST
}
