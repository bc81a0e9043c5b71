package io.pretext.api;

import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Capability;
import java.util.Set;

/**
 * A computation engine: TensorFlow-Java, DJL/PyTorch, ONNX Runtime. The provider is cheap; native
 * libraries load in {@link #open}. Capabilities are declared so the runtime can refuse a recipe
 * before doing any work ("backend onnx cannot train; use tensorflow or djl").
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public non-sealed interface Backend extends Provider {

    /** @return what this backend can do */
    Set<Capability> capabilities();

    /**
     * @param capability a capability
     * @return whether this backend declares it
     */
    default boolean hasCapability(Capability capability) {
        return capabilities().contains(capability);
    }

    /**
     * Loads the engine (native libraries, thread pools) and opens a session.
     *
     * @param settings threads and seed
     * @return a session; close it to release native resources
     */
    BackendSession open(BackendSettings settings);
}
