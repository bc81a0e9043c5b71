package io.pretext.api.error;

import io.pretext.api.ApiStatus;

/** A plugin that cannot be used: duplicate id, failing constructor, incompatible API version. */
@ApiStatus(ApiStatus.Status.STABLE)
public final class PluginLoadException extends PretextException {
    private static final long serialVersionUID = 1L;

    /** @param message which provider, which jar, and why */
    public PluginLoadException(String message) {
        super(message);
    }

    /**
     * @param message which provider, which jar, and why
     * @param cause the underlying failure
     */
    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
