package io.pretext.vision.augment;

import io.pretext.api.Augmentation;
import io.pretext.api.PretextApi;
import io.pretext.api.data.Modality;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import java.util.ArrayList;
import java.util.List;

/** What the image augmentation providers share: modality, API version, the probability option and range checks. */
abstract class ImageAugmentation implements Augmentation {
    /** Option: chance of applying the augmentation to an image. */
    static final String PROBABILITY = "probability";

    @Override
    public final Modality modality() {
        return Modality.IMAGE;
    }

    @Override
    public final int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public final List<OptionSpec> options() {
        List<OptionSpec> out = new ArrayList<>(ownOptions());
        out.add(OptionSpec.decimal(PROBABILITY, defaultProbability(), "chance of applying it to an image, in [0, 1]"));
        return List.copyOf(out);
    }

    @Override
    public final ImageTransform create(Options options) {
        return create(options, within(options, PROBABILITY, 0, 1));
    }

    /** @return the options besides {@code probability} */
    abstract List<OptionSpec> ownOptions();

    /** @return the default chance of applying it */
    double defaultProbability() {
        return 1.0;
    }

    /**
     * @param options validated options
     * @param probability the checked probability
     * @return the configured transform
     */
    abstract ImageTransform create(Options options, double probability);

    /**
     * @param options validated options
     * @param name a decimal option
     * @param low inclusive lower bound
     * @param high inclusive upper bound
     * @return its value, checked
     */
    final double within(Options options, String name, double low, double high) {
        double v = options.getDouble(name);
        if (!(v >= low && v <= high)) {
            throw new InvalidOptionException(id() + "." + name, "must be in [" + low + ", " + high + "], got " + v);
        }
        return v;
    }

    /**
     * @param options validated options
     * @param low name of the lower bound option
     * @param high name of the upper bound option
     * @param min smallest allowed
     * @param max largest allowed
     * @return {lower, upper}, checked in range and ordered
     */
    final double[] interval(Options options, String low, String high, double min, double max) {
        double a = within(options, low, min, max);
        double b = within(options, high, min, max);
        if (a > b) {
            throw new InvalidOptionException(id() + "." + low, "must be <= " + high + " (" + b + "), got " + a);
        }
        return new double[] {a, b};
    }
}
