package io.pretext.runtime.recipe;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recipe after validation: every id found in the registry, every option checked and defaulted.
 *
 * @param name run name (also the default output folder name)
 * @param seed the one seed everything derives from
 * @param output folder for checkpoints, metrics and reports
 * @param data the data source
 * @param task the pretext task
 * @param encoder the encoder trained by the task
 * @param loss the loss, of the kind the task needs
 * @param backend the backend (may be absent from the classpath; see {@link ComponentChoice#require()})
 * @param backendThreads intra- and inter-op threads for the backend (0 = all cores / backend default)
 * @param training the training section
 * @param evaluation the evaluation section
 * @param trainingOptions the training section's options, defaults filled in (as stored with a run)
 * @param evaluationOptions the evaluation section's options, defaults filled in
 * @param testData a separate held-out test set (e.g. MNIST's official test files); empty: the runtime splits {@code data}
 * @param notes plain-language remarks for {@code describe} (e.g. a backend that is not installed)
 * @param recipe the recipe as written, overrides applied
 */
public record ResolvedRecipe(String name, long seed, Path output, ComponentChoice data, ComponentChoice task, ComponentChoice encoder,
                             ComponentChoice loss, ComponentChoice backend, int[] backendThreads, TrainingSettings training,
                             EvaluationSettings evaluation, io.pretext.api.option.Options trainingOptions,
                             io.pretext.api.option.Options evaluationOptions, java.util.Optional<ComponentChoice> testData, List<String> notes,
                             Recipe recipe) {

    public ResolvedRecipe {
        notes = List.copyOf(notes);
        backendThreads = backendThreads.clone();
    }

    /** The folder relative data paths resolve against. */
    public Path baseDirectory() {
        return recipe.baseDirectory();
    }

    /** The complete recipe, defaults filled in, as stored next to a checkpoint and printed by {@code describe}. */
    public Map<String, Object> toTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("name", name);
        tree.put("seed", seed);
        tree.put("output", output.toString());
        List<ComponentChoice> components = new java.util.ArrayList<>(List.of(data));
        testData.ifPresent(components::add);
        components.addAll(List.of(task, encoder, loss, backend));
        for (ComponentChoice c : components) {
            Map<String, Object> section = new LinkedHashMap<>();
            section.put("id", c.id());
            section.putAll(c.options().asMap());
            if (c == backend) {
                section.put("intra-op-threads", backendThreads[0]);
                section.put("inter-op-threads", backendThreads[1]);
            }
            tree.put(c.section(), section);
        }
        tree.put("training", new LinkedHashMap<>(trainingOptions.asMap()));
        tree.put("evaluation", new LinkedHashMap<>(evaluationOptions.asMap()));
        return tree;
    }
}
