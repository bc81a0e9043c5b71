package io.pretext.runtime.train;

import io.pretext.api.Loss;
import io.pretext.api.data.Example;
import io.pretext.api.error.PretextException;
import io.pretext.api.option.Options;
import io.pretext.runtime.eval.EvaluationTable;
import io.pretext.runtime.eval.KnnClassifier;
import io.pretext.runtime.eval.LabelFractionEvaluation;
import io.pretext.runtime.eval.LinearProbe;
import io.pretext.runtime.eval.Probe;
import io.pretext.runtime.eval.Score;
import io.pretext.runtime.eval.StratifiedSubsets;
import io.pretext.runtime.recipe.EvaluationSettings;
import io.pretext.runtime.registry.PluginRegistry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a pretrained encoder the honest way: the same protocols, label fractions and
 * stratified subsets for three rows side by side: raw features, the untrained encoder, the
 * pretrained encoder.
 */
public final class Evaluator {

    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

    /** Row names of the table. */
    public static final String RAW = "raw features";
    public static final String RANDOM = "random encoder";

    private final PluginRegistry registry;

    public Evaluator(PluginRegistry registry) {
        this.registry = registry;
    }

    /**
     * Refuses data an evaluation cannot use: no labels, one class, or no held-out rows.
     *
     * @param info the data
     * @param testRows rows held out for testing
     * @param dataSource the data source's id, to point at its label options
     */
    public static void checkLabeled(io.pretext.api.data.DatasetInfo info, int testRows, String dataSource) {
        if (info.numClasses() < 2 || testRows == 0) {
            String found = info.numClasses() == 0 ? "no labels" : info.numClasses() == 1 ? "a single class" : "no held-out rows";
            throw new PretextException("evaluation needs labeled data with at least two classes: '" + info.name() + "' has " + found
                    + " as the data source reads it (its label options: pretext plugins " + dataSource + ")");
        }
    }

    /** Runs every protocol of the recipe's evaluation section on a finished run. */
    public EvaluationTable evaluate(PretrainedRun run) {
        EvaluationSettings settings = run.recipe().evaluation();
        if (run.recipe().training().streaming()) {
            throw new PretextException("a streamed run (training.streaming=true) holds no test split; evaluate its encoder with "
                    + "pretext evaluate --encoder " + run.encoderFile() + " --data LABELED_DATA");
        }
        // rows without a label (an empty label cell) may pretrain, but cannot be probed or scored
        List<Example> train = run.train().stream().filter(e -> e.label() >= 0).toList();
        List<Example> test = run.test().stream().filter(e -> e.label() >= 0).toList();
        int unlabeled = run.train().size() - train.size() + run.test().size() - test.size();
        if (unlabeled > 0) {
            LOG.warn("{} rows of '{}' have no label: left out of the evaluation", unlabeled, run.info().name());
        }
        checkLabeled(run.info(), test.size(), run.recipe().data().id());
        int[] trainLabels = train.stream().mapToInt(Example::label).toArray();
        int[] testLabels = test.stream().mapToInt(Example::label).toArray();
        String pretrainedName = "pretrained (" + run.recipe().task().id() + ")";

        List<LabelFractionEvaluation.FeatureSet> features = List.of(
                new LabelFractionEvaluation.FeatureSet(RAW, Embedder.rawFeatures(run.task(), train), Embedder.rawFeatures(run.task(), test)),
                new LabelFractionEvaluation.FeatureSet(RANDOM, embed(run, run.initial(), train), embed(run, run.initial(), test)),
                new LabelFractionEvaluation.FeatureSet(pretrainedName, embed(run, run.trained(), train), embed(run, run.trained(), test)));
        List<Double> fractions = settings.labelPercents().stream().map(p -> p / 100.0).toList();
        // a share of a small table is rounded up to one row per class: say how many labeled rows each column really had
        List<String> sizes = new ArrayList<>();
        for (double f : fractions) {
            int n = StratifiedSubsets.repeated(trainLabels, f, 1, run.recipe().seed()).get(0).length;
            sizes.add(Math.round(f * 100) + "% = " + n);
            if (settings.protocols().contains("knn") && n <= settings.knnK()) {
                LOG.warn("k-NN with k = {} on {} labeled rows ({}% labels): every labeled row votes; lower evaluation.knn-k",
                        settings.knnK(), n, Math.round(f * 100));
            }
        }
        String title = run.info().name() + ": " + train.size() + " training rows, " + test.size()
                + " held-out test rows" + (unlabeled > 0 ? " (" + unlabeled + " unlabeled rows left out)" : "") + ", seed "
                + run.recipe().seed() + "; labeled rows per subset: " + String.join(", ", sizes);
        List<Probe> probes = new ArrayList<>();
        for (String protocol : settings.protocols()) {
            switch (protocol) {
                case "linear" -> probes.add(new LinearProbe());
                case "knn" -> probes.add(new KnnClassifier(settings.knnK(), KnnClassifier.DEFAULT_TEMPERATURE, false));
                default -> {
                    // finetune trains on the backend, below
                }
            }
        }
        EvaluationTable.Builder table = EvaluationTable.builder(title);
        if (!probes.isEmpty()) {
            // The same stratified subsets for every row and protocol, from the recipe's seed.
            new LabelFractionEvaluation(fractions, settings.repeats(), run.recipe().seed())
                    .run(title, features, trainLabels, testLabels, probes).cells()
                    .forEach(c -> table.add(c.featureSet(), c.protocol(), c.labelFraction(), c.score()));
        }
        if (settings.protocols().contains("finetune") && !settings.protocols().contains("linear")) {
            // a fine-tuned network is judged against a linear model on the raw features, so the baseline row is always there
            new LabelFractionEvaluation(fractions, settings.repeats(), run.recipe().seed())
                    .run(title, List.of(features.get(0)), trainLabels, testLabels, List.of(new LinearProbe())).cells()
                    .forEach(c -> table.add(c.featureSet(), c.protocol(), c.labelFraction(), c.score()));
        }
        if (settings.protocols().contains("finetune")) {
            List<List<int[]>> subsets = new ArrayList<>();
            for (double f : fractions) {
                subsets.add(StratifiedSubsets.repeated(trainLabels, f, settings.repeats(), run.recipe().seed()));
            }
            fineTune(run, train, test, settings, fractions, subsets, table, pretrainedName);
        }
        return table.build();
    }

    private static float[][] embed(PretrainedRun run, io.pretext.api.model.ParameterSet values, List<Example> rows) {
        return Embedder.embed(run.session(), run.encoder(), values, run.task(), rows, 1024);
    }

    private void fineTune(PretrainedRun run, List<Example> train, List<Example> test, EvaluationSettings settings, List<Double> fractions,
                          List<List<int[]>> subsets, EvaluationTable.Builder table, String pretrainedName) {
        Loss ce = registry.get(Loss.class, "cross-entropy");
        FineTuner tuner = new FineTuner(run.session(), run.encoder(), run.task(), ce.create(Options.defaults(ce.options())),
                run.info().numClasses(), settings.finetuneEpochs(), run.recipe().training().batchSize(), run.recipe().training().learningRate());
        for (int f = 0; f < fractions.size(); f++) {
            List<int[]> draws = subsets.get(f);
            double[] scratch = new double[draws.size()];
            double[] pretrained = new double[draws.size()];
            for (int r = 0; r < draws.size(); r++) {
                List<Example> rows = new ArrayList<>();
                for (int i : draws.get(r)) {
                    rows.add(train.get(i));
                }
                long seed = run.recipe().seed() + 1000L * f + r;
                scratch[r] = tuner.accuracy(run.initial(), rows, test, seed);
                pretrained[r] = tuner.accuracy(run.trained(), rows, test, seed);
            }
            table.add(RANDOM, "finetune", fractions.get(f), Score.of(scratch));
            table.add(pretrainedName, "finetune", fractions.get(f), Score.of(pretrained));
            LOG.info("finetune {}% labels: from scratch {}, from pretrained {}", Math.round(fractions.get(f) * 100), Score.of(scratch),
                    Score.of(pretrained));
        }
    }
}
