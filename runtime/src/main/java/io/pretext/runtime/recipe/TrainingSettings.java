package io.pretext.runtime.recipe;

import io.pretext.api.optim.LearningRateSchedule;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import java.util.List;

/**
 * The {@code training} section of a recipe: the runtime's own options, validated like a provider's.
 *
 * @param epochs passes over the training data
 * @param batchSize examples per step
 * @param optimizer sgd, adam or adamw
 * @param learningRate peak learning rate
 * @param momentum SGD momentum
 * @param weightDecay SGD / AdamW weight decay
 * @param schedule constant or cosine
 * @param warmupSteps linear warm-up steps
 * @param clipGlobalNorm gradient clipping by global norm, 0 = off
 * @param workers loader threads preparing batches
 * @param prefetch prepared batches kept ahead of the backend
 * @param logEvery steps between metric lines
 * @param checkpointEvery epochs between checkpoints (0: only the final one)
 * @param dropLast drop a last batch smaller than the batch size
 * @param collapseThreshold per-dimension embedding std below which the collapse monitor warns
 * @param streaming read the data again each epoch through a shuffle buffer instead of holding it in memory
 * @param shuffleBuffer rows in the shuffle buffer when streaming
 * @param resumeFrom a checkpoint folder to continue from (empty: start fresh)
 */
public record TrainingSettings(int epochs, int batchSize, String optimizer, double learningRate, double momentum,
                               double weightDecay, String schedule, int warmupSteps, double clipGlobalNorm, int workers,
                               int prefetch, int logEvery, int checkpointEvery, boolean dropLast, double collapseThreshold,
                               boolean streaming, int shuffleBuffer, String resumeFrom) {

    /** The options of the {@code training} section. */
    public static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.integer("epochs", 10, "passes over the training data").atLeast(1),
            OptionSpec.integer("batch-size", 256, "examples per training step").atLeast(1),
            OptionSpec.choice("optimizer", "adam", "optimizer", "adam", "adamw", "sgd"),
            OptionSpec.decimal("learning-rate", 1e-3, "peak learning rate").greaterThan(0),
            OptionSpec.decimal("momentum", 0.9, "SGD momentum").atLeast(0).lessThan(1),
            OptionSpec.decimal("weight-decay", 0.0, "weight decay (SGD: L2 in the gradient; AdamW: decoupled)").atLeast(0),
            OptionSpec.choice("schedule", "constant", "learning-rate schedule after warm-up", "constant", "cosine"),
            OptionSpec.integer("warmup-steps", 0, "linear learning-rate warm-up steps").atLeast(0),
            OptionSpec.decimal("clip-global-norm", 0.0, "clip gradients to this global L2 norm; 0 = no clipping").atLeast(0),
            OptionSpec.integer("workers", 2, "loader threads that prepare batches (augmentation, corruption) ahead of the backend")
                    .atLeast(1),
            OptionSpec.integer("prefetch", 8, "prepared batches kept ready ahead of the backend").atLeast(1),
            OptionSpec.integer("log-every", 50, "steps between metric lines in metrics.jsonl").atLeast(1),
            OptionSpec.integer("checkpoint-every", 0, "epochs between checkpoints; 0 = only the final one").atLeast(0),
            OptionSpec.flag("drop-last", true, "drop a last batch smaller than batch-size (contrastive losses need full batches)"),
            OptionSpec.decimal("collapse-threshold", 1e-3,
                    "warn when the mean per-dimension std of normalized embeddings falls below this (non-contrastive losses)")
                    .atLeast(0),
            OptionSpec.flag("streaming", false, "stream the data each epoch through a shuffle buffer (bounded memory, for data larger "
                    + "than memory; no held-out split: evaluate afterwards with pretext evaluate --data)"),
            OptionSpec.integer("shuffle-buffer", 65_536, "rows held in the shuffle buffer when streaming").atLeast(1),
            OptionSpec.text("resume-from", "", "a checkpoint folder (runs/NAME/checkpoint) to continue from: parameters, optimizer "
                    + "state, step and epoch; written by any training backend"));

    /** Builds the settings from resolved options (their ranges are checked when they resolve). */
    public static TrainingSettings from(Options o) {
        return new TrainingSettings(o.getInt("epochs"), o.getInt("batch-size"), o.getString("optimizer"),
                o.getDouble("learning-rate"), o.getDouble("momentum"), o.getDouble("weight-decay"), o.getString("schedule"),
                o.getInt("warmup-steps"), o.getDouble("clip-global-norm"), o.getInt("workers"), o.getInt("prefetch"),
                o.getInt("log-every"), o.getInt("checkpoint-every"), o.getBoolean("drop-last"), o.getDouble("collapse-threshold"),
                o.getBoolean("streaming"), o.getInt("shuffle-buffer"), o.getString("resume-from"));
    }

    /** The optimizer, schedule and clipping for a run of {@code totalSteps} steps. */
    public TrainingConfig config(long totalSteps) {
        OptimizerSpec spec = switch (optimizer) {
            case "sgd" -> new OptimizerSpec.Sgd(learningRate, momentum, false, weightDecay);
            case "adamw" -> new OptimizerSpec.AdamW(learningRate, 0.9, 0.999, 1e-8, weightDecay);
            default -> OptimizerSpec.Adam.withLearningRate(learningRate);
        };
        LearningRateSchedule lr = schedule.equals("cosine")
                ? LearningRateSchedule.warmupCosine(warmupSteps, totalSteps)
                : new LearningRateSchedule(LearningRateSchedule.Decay.CONSTANT, warmupSteps, totalSteps, 1.0);
        return new TrainingConfig(spec, lr, clipGlobalNorm);
    }
}
