package io.pretext.api.error;

import io.pretext.api.ApiStatus;

/**
 * Base of every failure Pretext reports to a user. Subclasses exist for each kind of failure a
 * user can act on (unknown id, bad option, malformed data, shape mismatch, missing capability),
 * so callers can catch precisely and messages stay specific.
 */
@ApiStatus(ApiStatus.Status.STABLE)
public class PretextException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, where, and what is allowed */
    public PretextException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, where, and what is allowed
     * @param cause the underlying failure
     */
    public PretextException(String message, Throwable cause) {
        super(message, cause);
    }
}
