package io.pretext.api.data;

/** The kinds of data Pretext learns from. */
public enum Modality {
    /** Rows of a table: {@link Example.TableRow}. */
    TABLE,
    /** Still images: {@link Example.Image}. */
    IMAGE,
    /** Token sequences: {@link Example.TokenSequence}. */
    TEXT,
    /** Short frame sequences: {@link Example.Clip}. */
    VIDEO
}
