package io.pretext.api.data;

import io.pretext.api.ApiStatus;

/** The kinds of data Pretext learns from. */
@ApiStatus(ApiStatus.Status.STABLE)
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
