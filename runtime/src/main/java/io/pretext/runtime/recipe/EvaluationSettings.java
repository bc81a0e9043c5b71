package io.pretext.runtime.recipe;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code evaluation} section of a recipe.
 *
 * @param protocols which downstream protocols to run: linear, knn, finetune
 * @param labelPercents label fractions in percent of the training split, e.g. 100 and 10
 * @param repeats stratified label subsets drawn per fraction below 100%
 * @param testFraction share of a labeled table held out for testing (stratified, seeded)
 * @param knnK neighbours for k-NN
 * @param finetuneEpochs epochs of fine-tuning (encoder + linear head)
 */
public record EvaluationSettings(List<String> protocols, List<Integer> labelPercents, int repeats, double testFraction, int knnK,
                                 int finetuneEpochs) {

    /** The protocols the runtime knows. */
    public static final List<String> KNOWN_PROTOCOLS = List.of("linear", "knn", "finetune");

    /** The options of the {@code evaluation} section. */
    public static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.text("protocols", "linear,knn", "comma-separated downstream protocols: linear, knn, finetune"),
            OptionSpec.integers("label-percents", List.of(100L, 10L), "label fractions in percent of the training split")
                    .nonEmpty().between(1, 100),
            OptionSpec.integer("repeats", 5, "stratified label subsets per fraction below 100% (mean and std are reported)")
                    .atLeast(1),
            OptionSpec.decimal("test-fraction", 0.2, "share of the labeled data held out as the test split (stratified, seeded)")
                    .greaterThan(0).lessThan(1),
            OptionSpec.integer("knn-k", 20, "neighbours for the k-NN protocol").atLeast(1),
            OptionSpec.integer("finetune-epochs", 30, "epochs of fine-tuning (encoder and linear head trained together)")
                    .atLeast(0));

    /** Builds the settings from resolved options (ranges are checked when they resolve), checking the protocols. */
    public static EvaluationSettings from(Options o) {
        List<String> protocols = new ArrayList<>();
        for (String p : o.getString("protocols").split(",")) {
            String t = p.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!KNOWN_PROTOCOLS.contains(t)) {
                throw new InvalidOptionException(o.key("protocols"), "unknown protocol '" + t + "'; allowed: "
                        + String.join(", ", KNOWN_PROTOCOLS));
            }
            if (protocols.contains(t)) {
                throw new InvalidOptionException(o.key("protocols"), "'" + t + "' is listed twice");
            }
            protocols.add(t);
        }
        if (protocols.isEmpty()) {
            throw new InvalidOptionException(o.key("protocols"), "name at least one of " + String.join(", ", KNOWN_PROTOCOLS));
        }
        List<Integer> percents = o.getLongs("label-percents").stream().map(Math::toIntExact).toList();
        if (percents.stream().distinct().count() < percents.size()) {
            throw new InvalidOptionException(o.key("label-percents"), "a share is listed twice: " + percents);
        }
        double test = o.getDouble("test-fraction");
        return new EvaluationSettings(List.copyOf(protocols), percents, o.getInt("repeats"), test, o.getInt("knn-k"),
                o.getInt("finetune-epochs"));
    }
}
