package io.pretext.tensorflow;

import io.pretext.api.Backend;
import io.pretext.testkit.conformance.BackendConformanceSuite;

/** The TensorFlow backend against the conformance suite every backend must pass. */
class TensorFlowConformanceTest extends BackendConformanceSuite {
    @Override
    protected Backend backend() {
        return new TensorFlowBackend();
    }
}
