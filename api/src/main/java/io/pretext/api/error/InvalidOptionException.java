package io.pretext.api.error;

import io.pretext.api.ApiStatus;

/** A recipe or command-line option that is unknown, of the wrong type or out of range. */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public final class InvalidOptionException extends PretextException {
    private static final long serialVersionUID = 1L;
    private final String key;

    /**
     * @param key the full option key as the user wrote it, e.g. {@code task.corruption}
     * @param message what is wrong and what is allowed
     */
    public InvalidOptionException(String key, String message) {
        super("option '" + key + "': " + message);
        this.key = key;
    }

    /** @return the option key that is wrong */
    public String key() {
        return key;
    }
}
