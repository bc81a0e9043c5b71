package io.pretext.api.error;

import io.pretext.api.ApiStatus;

/** A component asked to do something it declares it cannot, e.g. an inference-only backend asked to train. */
@ApiStatus(ApiStatus.Status.STABLE)
public final class CapabilityException extends PretextException {
    private static final long serialVersionUID = 1L;

    /** @param message what was asked, who cannot do it, and who can */
    public CapabilityException(String message) {
        super(message);
    }
}
