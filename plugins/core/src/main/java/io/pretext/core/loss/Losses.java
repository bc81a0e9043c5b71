package io.pretext.core.loss;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.Options;

/** Option checks shared by the losses. */
final class Losses {
    private Losses() {
    }

    static float positive(Options options, String name) {
        double v = options.getDouble(name);
        if (!(v > 0)) {
            throw new InvalidOptionException("loss." + name, "must be > 0, got " + v);
        }
        return (float) v;
    }

    static float nonNegative(Options options, String name) {
        double v = options.getDouble(name);
        if (!(v >= 0)) {
            throw new InvalidOptionException("loss." + name, "must be >= 0, got " + v);
        }
        return (float) v;
    }
}
