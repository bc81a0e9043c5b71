package io.pretext.runtime.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.api.Backend;
import io.pretext.api.EncoderModel;
import io.pretext.api.TaskModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.StepResult;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.backend.TrainingState;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.error.NonFiniteLossException;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.model.PreprocessingState;
import io.pretext.runtime.checkpoint.AtomicFiles;
import io.pretext.runtime.checkpoint.EncoderFile;
import io.pretext.runtime.checkpoint.Provenance;
import io.pretext.runtime.checkpoint.SafeTensors;
import io.pretext.runtime.recipe.ComponentChoice;
import io.pretext.runtime.recipe.Recipe;
import io.pretext.runtime.recipe.ResolvedRecipe;
import io.pretext.runtime.recipe.TrainingSettings;
import io.pretext.runtime.registry.PluginRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pretraining loop: data split, task binding, backend compilation, epochs of prepared batches,
 * metrics, collapse monitor, checkpoints and the encoder export.
 */
public final class Pretrainer {

    private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MONITOR_ROWS = 1024;

    /** Files of a run's output folder. */
    public static final String ENCODER_FILE = EncoderFile.FILE_NAME;
    public static final String METRICS_FILE = "metrics.jsonl";
    public static final String CHECKPOINT_DIR = "checkpoint";

    private final PluginRegistry registry;
    private final ResolvedRecipe recipe;
    private final ProgressListener progress;

    private boolean evaluationFollows;

    public Pretrainer(PluginRegistry registry, ResolvedRecipe recipe, ProgressListener progress) {
        this.registry = registry;
        this.recipe = recipe;
        this.progress = progress;
    }

    /**
     * Says an evaluation will follow, so data it cannot use (no labels, one class) is refused
     * before training rather than after it.
     *
     * @return this
     */
    public Pretrainer evaluationFollows() {
        this.evaluationFollows = true;
        return this;
    }

    /** Runs the whole pretraining; the returned run holds an open backend session. */
    public PretrainedRun run() {
        TrainingSettings t = recipe.training();
        Backend backend = (Backend) recipe.backend().require().provider();
        DatasetInfo info;
        List<Example> train;
        List<Example> test;
        Iterable<Example> trainingData;
        long trainingRows;
        Dataset streamed = null;
        if (t.streaming()) {
            // Bounded memory: the source is read again every epoch; only a shuffle buffer and a monitor sample are held.
            streamed = LoadedData.open(recipe.data(), recipe);
            info = streamed.info();
            trainingData = streamed;
            train = new ArrayList<>();
            long counted = 0;
            for (Example e : streamed) {
                if (train.size() < MONITOR_ROWS) {
                    train.add(e);
                }
                counted++;
            }
            trainingRows = info.size().isPresent() ? info.size().getAsLong() : counted;
            test = List.of();
        } else {
            LoadedData data = LoadedData.load(recipe);
            info = data.info();
            train = data.train();
            test = data.test();
            if (evaluationFollows) {
                Evaluator.checkLabeled(info, test.size(), recipe.data().id());
            }
            trainingData = train;
            trainingRows = train.size();
        }
        try {
            return run(t, backend, info, train, test, trainingData, trainingRows);
        } finally {
            if (streamed != null) {
                streamed.close();
            }
        }
    }

    private PretrainedRun run(TrainingSettings t, Backend backend, DatasetInfo info, List<Example> train, List<Example> test,
                              Iterable<Example> trainingData, long trainingRows) {
        EncoderModel encoder = TaskAssembly.encoder(recipe, info);
        TaskModel model = TaskAssembly.bind(registry, recipe, info, trainingData, encoder, Optional.empty());
        List<ParamSpec> specs = model.parameters();
        ParameterSet initial = ParameterSet.initialize(specs, recipe.seed());

        int stepsPerEpoch = BatchPipeline.batchesPerEpoch(trainingRows, t.batchSize(), t.dropLast());
        if (stepsPerEpoch == 0) {
            throw new PretextException("the training split has " + trainingRows + " rows, fewer than training.batch-size " + t.batchSize()
                    + "; lower the batch size or set training.drop-last=false");
        }
        long totalSteps = (long) stepsPerEpoch * t.epochs();
        TrainingConfig config = t.config(totalSteps);
        // a checkpoint is read and checked before the output folder is touched
        Optional<Resumed> resumed = t.resumeFrom().isEmpty() ? Optional.empty()
                : Optional.of(readCheckpoint(Path.of(t.resumeFrom()), specs, info, t.epochs()));
        Path output = recipe.output();
        createDirectories(output);
        resumed.ifPresent(r -> dropMetricsAfter(output.resolve(METRICS_FILE), r.epoch()));
        // a new run in an old folder: an evaluation or picture of the previous encoder must not sit beside the new one
        for (String stale : List.of("evaluation.md", "evaluation.json", "embeddings-pca.png")) {
            try {
                if (Files.deleteIfExists(output.resolve(stale))) {
                    LOG.info("removed {} of an earlier run in {}", stale, output);
                }
            } catch (IOException e) {
                throw new PretextException("cannot remove the earlier run's " + output.resolve(stale) + ": " + e.getMessage(), e);
            }
        }
        LOG.info("pretraining {} on {} ({} training rows, {} held out): {} epochs x {} steps, backend {}", recipe.task().id(), info.name(),
                trainingRows, test.size(), t.epochs(), stepsPerEpoch, backend.id());

        BackendSession session = backend.open(new BackendSettings(recipe.backendThreads()[0], recipe.backendThreads()[1], recipe.seed()));
        boolean ok = false;
        try (BatchPipeline pipeline = new BatchPipeline(model, t.workers(), t.prefetch());
             TrainingProgram program = session.compileTraining(specs, model.objective(), config, initial);
             BufferedWriter metrics = Files.newBufferedWriter(output.resolve(METRICS_FILE), StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                     t.resumeFrom().isEmpty() ? java.nio.file.StandardOpenOption.TRUNCATE_EXISTING : java.nio.file.StandardOpenOption.APPEND)) {
            long step = 0;
            int firstEpoch = 0;
            if (resumed.isPresent()) {
                try {
                    program.restore(resumed.get().state());
                } catch (IllegalArgumentException e) {
                    throw new io.pretext.api.error.InvalidOptionException("training.resume-from", t.resumeFrom()
                            + " does not fit this recipe's model and optimizer: " + e.getMessage());
                }
                step = resumed.get().state().step();
                firstEpoch = resumed.get().epoch();
            }
            double lastEpochLoss = Double.NaN;
            double measuredRows = 0;
            double measuredSeconds = 0;
            long loopStart = System.nanoTime();
            // Ctrl-C: say what is kept, so the user knows whether and how to resume
            java.util.concurrent.atomic.AtomicInteger checkpointed = new java.util.concurrent.atomic.AtomicInteger(
                    resumed.map(Resumed::epoch).orElse(0));
            java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger(firstEpoch + 1);
            Thread onInterrupt = new Thread(() -> progress.interrupted("interrupted in epoch " + running.get()
                    + " of " + t.epochs() + "; " + (checkpointed.get() > 0 ? "the checkpoint of epoch " + checkpointed.get() + " is in "
                    + output.resolve(CHECKPOINT_DIR) + "; continue with --set training.resume-from=" + output.resolve(CHECKPOINT_DIR)
                    : "no checkpoint was written yet (training.checkpoint-every: N writes one every N epochs)")), "pretext-interrupt");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try {
            for (int epoch = firstEpoch; epoch < t.epochs(); epoch++) {
                running.set(epoch + 1);
                long epochStart = System.nanoTime();
                double lossSum = 0;
                long rows = 0;
                int batches = 0;
                Iterator<BatchPipeline.Prepared> it = t.streaming()
                        ? pipeline.streamingEpoch(trainingData, epoch, recipe.seed(), t.batchSize(), t.dropLast(), t.shuffleBuffer())
                        : pipeline.epoch(train, epoch, recipe.seed(), t.batchSize(), t.dropLast());
                while (it.hasNext()) {
                    BatchPipeline.Prepared prepared = PluginCalls.call(recipe.task(), "prepare (epoch " + (epoch + 1) + ")", it::next);
                    StepResult result = program.step(prepared.batch());
                    step++;
                    if (!Double.isFinite(result.loss())) {
                        writeLine(metrics, Map.of("type", "step", "epoch", epoch + 1, "step", step, "loss", String.valueOf(result.loss())));
                        metrics.flush();
                        throw new NonFiniteLossException(step, result.loss());
                    }
                    lossSum += result.loss();
                    rows += prepared.rows();
                    batches++;
                    double elapsed = (System.nanoTime() - epochStart) / 1e9;
                    progress.step(epoch, t.epochs(), step, totalSteps, result.loss(), rows / Math.max(elapsed, 1e-9));
                    if (step % t.logEvery() == 0) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("type", "step");
                        line.put("epoch", epoch + 1);
                        line.put("step", step);
                        line.put("loss", result.loss());
                        line.put("lr", t.learningRate() * config.schedule().factor(step - 1));
                        result.metrics().forEach(line::put);
                        writeLine(metrics, line);
                    }
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                if (epoch > firstEpoch || t.epochs() - firstEpoch == 1) {
                    measuredRows += rows;
                    measuredSeconds += seconds;
                }
                lastEpochLoss = lossSum / Math.max(1, batches);
                ParameterSet current = program.parameters();
                double spread = embeddingSpread(session, encoder, current, model, train);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", "epoch");
                line.put("epoch", epoch + 1);
                line.put("step", step);
                line.put("loss", lastEpochLoss);
                line.put("rows_per_s", rows / seconds);
                line.put("seconds", seconds);
                line.put("embedding_std", spread);
                writeLine(metrics, line);
                metrics.flush();
                progress.epochEnd(epoch, t.epochs(), lastEpochLoss, rows / seconds);
                if (spread < t.collapseThreshold()) {
                    LOG.warn("epoch {}: embeddings are collapsing (mean per-dimension std of normalized embeddings {} < {}); "
                            + "try a lower learning rate or a contrastive loss", epoch + 1, String.format("%.2e", spread), t.collapseThreshold());
                }
                boolean last = epoch == t.epochs() - 1;
                if (last || (t.checkpointEvery() > 0 && (epoch + 1) % t.checkpointEvery() == 0)) {
                    writeCheckpoint(output.resolve(CHECKPOINT_DIR), program.state(), epoch + 1, step, lastEpochLoss, info, backend);
                    checkpointed.set(epoch + 1);
                }
            }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onInterrupt);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting: the hook runs
                }
            }
            double loopSeconds = (System.nanoTime() - loopStart) / 1e9;
            ParameterSet trained = program.parameters();
            Provenance provenance = provenance(info, backend, t.epochs(), step, lastEpochLoss);
            Path encoderFile = output.resolve(ENCODER_FILE);
            exportEncoder(encoderFile, encoder, trained, model.preprocessingState(), provenance);
            PretrainedRun run = new PretrainedRun(recipe, session, info, train, test, encoder, model, initial, trained,
                    new PretrainedRun.RunStats(t.epochs(), step, lastEpochLoss, measuredRows / Math.max(measuredSeconds, 1e-9), loopSeconds),
                    encoderFile);
            ok = true;
            return run;
        } catch (IOException e) {
            throw new PretextException("cannot write metrics to " + output.resolve(METRICS_FILE) + ": " + e.getMessage(), e);
        } finally {
            if (!ok) {
                session.close();
            }
        }
    }

    /** A checkpoint to continue from: its training state and the epochs it finished. */
    private record Resumed(TrainingState state, int epoch) {
    }

    private static final java.util.regex.Pattern EPOCH_FIELD = java.util.regex.Pattern.compile("\"epoch\":(\\d+)");

    /**
     * Resuming into a folder whose metrics go past the checkpoint (the run went on after it was
     * written, then stopped): the lines after the checkpoint's epoch are dropped, so the resumed
     * epochs are not listed twice.
     */
    private static void dropMetricsAfter(Path metrics, int epoch) {
        if (!Files.isRegularFile(metrics)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
            List<String> kept = new ArrayList<>();
            for (String line : lines) {
                java.util.regex.Matcher m = EPOCH_FIELD.matcher(line);
                if (!m.find() || Integer.parseInt(m.group(1)) <= epoch) {
                    kept.add(line);
                }
            }
            if (kept.size() < lines.size()) {
                AtomicFiles.writeString(metrics, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
                LOG.info("{}: dropped {} lines after epoch {}, where the checkpoint resumes", metrics, lines.size() - kept.size(), epoch);
            }
        } catch (IOException e) {
            throw new PretextException("cannot read " + metrics + ": " + e.getMessage(), e);
        }
    }

    /**
     * A resumed run may change its training settings, but the optimizer's state and the loss's
     * scale belong to the old ones: say which changed.
     */
    private void warnAboutChangedTraining(Path storedRecipe) {
        if (!Files.isRegularFile(storedRecipe)) {
            return;
        }
        try {
            Map<String, Object> before = Recipe.parse(Files.readString(storedRecipe), storedRecipe.toString(), Optional.empty())
                    .section("training");
            Object nowSection = recipe.toTree().get("training");
            if (!(nowSection instanceof Map<?, ?> now)) {
                return;
            }
            List<String> changed = new ArrayList<>();
            for (String key : List.of("optimizer", "batch-size", "learning-rate", "weight-decay", "momentum", "schedule")) {
                Object a = before.get(key);
                Object b = now.get(key);
                if (a != null && b != null && !String.valueOf(a).equals(String.valueOf(b))) {
                    changed.add(key + " " + a + " -> " + b);
                }
            }
            if (!changed.isEmpty()) {
                LOG.warn("resuming with other training settings than the checkpoint's: {}{}", String.join(", ", changed),
                        changed.stream().anyMatch(c -> c.startsWith("optimizer")) ? " (the optimizer's state starts again from zero)" : "");
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot compare with {}: {}", storedRecipe, e.toString());
        }
    }

    /** Reads and checks a checkpoint folder: parameters, optimizer slots, step and the epochs it finished. */
    private Resumed readCheckpoint(Path folder, List<ParamSpec> specs, DatasetInfo info, int epochs) {
        Path dir = folder.toAbsolutePath();
        Path model = dir.resolve("model.safetensors");
        Path optimizer = dir.resolve("optimizer.safetensors");
        if (!Files.isRegularFile(model) || !Files.isRegularFile(optimizer)) {
            throw new io.pretext.api.error.InvalidOptionException("training.resume-from", dir + " is not a checkpoint folder "
                    + "(expected model.safetensors and optimizer.safetensors in it)");
        }
        SafeTensors.Contents parameters = SafeTensors.read(model);
        SafeTensors.Contents slots = SafeTensors.read(optimizer);
        try {
            parameters.tensors().checkMatches(specs);
        } catch (IllegalArgumentException e) {
            throw new io.pretext.api.error.InvalidOptionException("training.resume-from", model + " does not fit this recipe's model: "
                    + e.getMessage());
        }
        long step = Long.parseLong(parameters.metadata().getOrDefault("step", "0"));
        int epoch = Integer.parseInt(parameters.metadata().getOrDefault("epoch", "0"));
        if (epoch >= epochs) {
            throw new io.pretext.api.error.InvalidOptionException("training.epochs", "the checkpoint in " + dir + " has finished "
                    + epoch + " epochs, so training.epochs=" + epochs + " leaves nothing to train; set it above " + epoch);
        }
        warnAboutChangedTraining(dir.resolve("recipe.yaml"));
        Path provenanceFile = dir.resolve("provenance.json");
        if (Files.isRegularFile(provenanceFile)) {
            try {
                Provenance p = Provenance.fromJson(Files.readString(provenanceFile));
                if (!p.dataFingerprint().equals(info.fingerprint())) {
                    LOG.warn("resuming from {} trained on data {} ({}), now training on {} ({})", dir, p.dataName(), p.dataFingerprint(),
                            info.name(), info.fingerprint());
                }
                LOG.info("resuming from {}: epoch {}, step {}, written by backend {}", dir, epoch, step, p.backend());
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", provenanceFile, e.toString());
            }
        }
        return new Resumed(new TrainingState(parameters.tensors(), slots.tensors(), step), epoch);
    }

    /** Mean over dimensions of the std of L2-normalized embeddings of up to 1,024 training rows: near 0 means collapse. */
    static double embeddingSpread(BackendSession session, EncoderModel encoder, ParameterSet values, TaskModel model, List<Example> rows) {
        List<Example> sample = rows.subList(0, Math.min(MONITOR_ROWS, rows.size()));
        float[][] z = Embedder.embed(session, encoder, values, model, sample, 512);
        int d = z[0].length;
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (float[] row : z) {
            double norm = 0;
            for (float v : row) {
                norm += v * v;
            }
            norm = Math.sqrt(norm) + 1e-12;
            for (int j = 0; j < d; j++) {
                double v = row[j] / norm;
                mean[j] += v;
                sq[j] += v * v;
            }
        }
        double total = 0;
        for (int j = 0; j < d; j++) {
            double m = mean[j] / z.length;
            total += Math.sqrt(Math.max(0, sq[j] / z.length - m * m));
        }
        return total / d;
    }

    private Provenance provenance(DatasetInfo info, Backend backend, int epochs, long steps, double loss) {
        List<Provenance.Plugin> plugins = new ArrayList<>();
        for (ComponentChoice c : List.of(recipe.data(), recipe.task(), recipe.encoder(), recipe.loss(), recipe.backend())) {
            c.provider().ifPresent(e -> plugins.add(new Provenance.Plugin(c.section(), c.id(), e.provider().version(), e.origin().jarName())));
        }
        String version = Optional.ofNullable(Pretrainer.class.getPackage().getImplementationVersion()).orElse("dev");
        return new Provenance(version, plugins, recipe.seed(), info.name(), info.fingerprint(), backend.id() + " " + backend.version(), epochs,
                steps, loss, Instant.now().toString());
    }

    private void writeCheckpoint(Path target, TrainingState state, int epoch, long step, double loss, DatasetInfo info, Backend backend) {
        // Written into a staging folder, then swapped in whole: model and optimizer state never come from different steps.
        Path dir = target.resolveSibling(target.getFileName() + ".staging");
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
            throw new PretextException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
        createDirectories(dir);
        Provenance provenance = provenance(info, backend, epoch, step, loss);
        Map<String, String> meta = Map.of("format", "pretext-checkpoint-1", "epoch", String.valueOf(epoch), "step", String.valueOf(step));
        try {
            // Parameters last: a reader that finds model.safetensors finds the recipe and provenance beside it.
            AtomicFiles.writeString(dir.resolve("recipe.yaml"), recipeYaml());
            AtomicFiles.writeString(dir.resolve("provenance.json"), provenance.toJson());
            SafeTensors.write(dir.resolve("optimizer.safetensors"), state.optimizerSlots(), meta);
            SafeTensors.write(dir.resolve("model.safetensors"), state.parameters(), meta);
        } catch (PretextException e) {
            // e.g. the disk is full: the last complete checkpoint stays in place, the half-staged one goes
            try {
                AtomicFiles.deleteTree(dir);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw Files.isDirectory(target) ? new PretextException(e.getMessage() + "; the checkpoint of an earlier epoch is intact in "
                    + target, e) : e;
        }
        AtomicFiles.replaceFolder(dir, target);
        LOG.info("checkpoint written to {} (epoch {}, step {})", target, epoch, step);
    }

    private String recipeYaml() {
        return Recipe.toYaml(recipe.toTree());
    }

    /** Writes the encoder alone (heads dropped) with the task's preprocessing state, the recipe and provenance. */
    private void exportEncoder(Path file, EncoderModel encoder, ParameterSet trained, PreprocessingState preprocessing,
                               Provenance provenance) {
        Set<String> names = encoder.parameters().stream().map(ParamSpec::name).collect(Collectors.toSet());
        new EncoderFile(file, recipe.encoder().id(), encoder.inputShape(), encoder.outputShape(), recipeYaml(), recipe.baseDirectory(),
                Optional.of(provenance), trained.filter(names::contains), preprocessing).write(file);
        LOG.info("encoder exported to {}", file);
    }

    private static void writeLine(BufferedWriter out, Map<String, ?> line) throws IOException {
        out.write(JSON.writeValueAsString(line));
        out.newLine();
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PretextException("cannot create output folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
