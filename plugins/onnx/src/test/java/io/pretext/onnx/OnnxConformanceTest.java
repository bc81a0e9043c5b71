package io.pretext.onnx;

import io.pretext.api.Backend;
import io.pretext.testkit.conformance.BackendConformanceSuite;

/** The backend conformance suite on ONNX Runtime: every op's forward values; training checks skip (no TRAINING). */
class OnnxConformanceTest extends BackendConformanceSuite {
    @Override
    protected Backend backend() {
        return new OnnxBackend();
    }
}
