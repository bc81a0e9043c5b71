package io.pretext.vision.augment;

import io.pretext.api.Augmentation;
import io.pretext.api.PretextApi;
import io.pretext.api.data.Modality;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import java.util.ArrayList;
import java.util.List;

/** What the image augmentation providers share: modality, API version, the probability option and ordered pairs of options. */
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
        out.add(OptionSpec.decimal(PROBABILITY, defaultProbability(), "chance of applying it to an image").between(0, 1));
        return List.copyOf(out);
    }

    @Override
    public final ImageTransform create(Options options) {
        return create(options, options.getDouble(PROBABILITY));
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
     * @param low name of the lower bound option
     * @param high name of the upper bound option
     * @return {lower, upper}, checked ordered
     */
    static double[] interval(Options options, String low, String high) {
        double a = options.getDouble(low);
        double b = options.getDouble(high);
        if (a > b) {
            throw new InvalidOptionException(options.key(low), a + " exceeds " + options.key(high) + " (" + b + "); the range "
                    + "from " + low + " to " + high + " is empty");
        }
        return new double[] {a, b};
    }
}
