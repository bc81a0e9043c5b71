package io.pretext.runtime.report;

import io.pretext.api.data.Example;
import io.pretext.runtime.train.Embedder;
import io.pretext.runtime.train.PretrainedRun;
import io.pretext.runtime.train.Pretrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pictures of a finished run, written into its output folder: {@value #LOSS_CURVE} from the
 * metrics log, and {@value #EMBEDDINGS} (the held-out test split embedded by the trained encoder,
 * PCA to 2-D, coloured by label). A picture that cannot be made is logged and skipped: pictures
 * never fail a run.
 */
public final class RunPlots {
    /** File name of the loss curve. */
    public static final String LOSS_CURVE = "loss-curve.png";
    /** File name of the embedding picture. */
    public static final String EMBEDDINGS = "embeddings-pca.png";

    private static final Logger LOG = LoggerFactory.getLogger(RunPlots.class);
    private static final int MAX_POINTS = 10_000;

    private RunPlots() {
    }

    /**
     * @param run a finished (or reopened) run with an open backend session
     * @param folder where the pictures go
     * @return what was written, by description
     */
    public static Map<String, Path> write(PretrainedRun run, Path folder) {
        Map<String, Path> written = new java.util.LinkedHashMap<>();
        String name = run.recipe().task().id() + " / " + run.recipe().encoder().id() + " on " + run.info().name();
        Path metrics = folder.resolve(Pretrainer.METRICS_FILE);
        if (Files.isRegularFile(metrics)) {
            Path png = folder.resolve(LOSS_CURVE);
            try {
                LossCurvePlot.write(metrics, png, "loss: " + name);
                written.put("loss curve (PNG)", png);
            } catch (RuntimeException e) {
                LOG.warn("no loss curve: {}", e.getMessage());
            }
        }
        writeEmbeddings(run, folder.resolve(EMBEDDINGS)).ifPresent(png -> written.put("test embeddings (PNG)", png));
        return written;
    }

    /**
     * The test embeddings picture alone, e.g. for an evaluation on other data than pretraining's,
     * which must not replace the run's loss curve.
     *
     * @param run the run
     * @param png where to write it
     * @return the file, when there were at least two test rows to draw
     */
    public static java.util.Optional<Path> writeEmbeddings(PretrainedRun run, Path png) {
        String name = run.recipe().task().id() + " / " + run.recipe().encoder().id() + " on " + run.info().name();
        List<Example> test = run.test();
        if (test.size() >= 2) {
            try {
                List<Example> shown = test.size() <= MAX_POINTS ? test : test.subList(0, MAX_POINTS);
                float[][] z = Embedder.embed(run.session(), run.encoder(), run.trained(), run.task(), shown, 512);
                int[] labels = shown.stream().mapToInt(Example::label).toArray();
                List<String> classes = new ArrayList<>(run.info().classNames());
                Pca.Projection p = EmbeddingPlot.write(png, z, labels, classes, "test embeddings (PCA): " + name);
                LOG.debug("embedding picture: {} points, explained variance {}", shown.size(), p.explainedVariance());
                return java.util.Optional.of(png);
            } catch (RuntimeException e) {
                LOG.warn("no embedding picture: {}", e.getMessage());
            }
        }
        return java.util.Optional.empty();
    }
}
