package io.pretext.djl;

import io.pretext.api.Backend;
import io.pretext.testkit.conformance.BackendConformanceSuite;

/** The DJL backend against the conformance suite every backend must pass. */
class DjlConformanceTest extends BackendConformanceSuite {
    @Override
    protected Backend backend() {
        return new DjlBackend();
    }
}
