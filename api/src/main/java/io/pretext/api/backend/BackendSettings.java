package io.pretext.api.backend;

import io.pretext.api.ApiStatus;

/**
 * Run-wide settings a backend session is opened with.
 *
 * @param intraOpThreads threads inside one op (0: the backend's default, all cores)
 * @param interOpThreads ops run in parallel (0: the backend's default)
 * @param seed seed for the backend's own randomness (dropout masks)
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record BackendSettings(int intraOpThreads, int interOpThreads, long seed) {
    /** Checks ranges. */
    public BackendSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0 (0 = backend default)");
        }
    }

    /** @return backend defaults with seed 0 */
    public static BackendSettings defaults() {
        return new BackendSettings(0, 0, 0L);
    }
}
