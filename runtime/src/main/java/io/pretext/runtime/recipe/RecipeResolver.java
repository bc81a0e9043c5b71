package io.pretext.runtime.recipe;

import io.pretext.api.Loss;
import io.pretext.api.LossKind;
import io.pretext.api.PretextTask;
import io.pretext.api.Spi;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.UnknownComponentException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.registry.ProviderEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a {@link Recipe} against the registry: ids exist, options are declared and well-typed,
 * the loss is of the kind the task needs. Errors name the recipe key and the allowed values.
 */
public final class RecipeResolver {

    /** Top-level sections and keys a recipe may have. */
    public static final List<String> SECTIONS = List.of("name", "seed", "output", "data", "test-data", "task", "encoder", "loss",
            "backend", "training", "evaluation");

    /** The backend used when a recipe names none. */
    public static final String DEFAULT_BACKEND = "tensorflow";

    /** The thread counts every backend gets through {@code BackendSettings}, whether or not it declares them. */
    private static final List<OptionSpec> THREAD_OPTIONS = List.of(
            OptionSpec.integer("intra-op-threads", 0, "threads inside one op; 0 = the backend's default").atLeast(0),
            OptionSpec.integer("inter-op-threads", 0, "ops run in parallel; 0 = the backend's default").atLeast(0));

    private final PluginRegistry registry;

    public RecipeResolver(PluginRegistry registry) {
        this.registry = registry;
    }

    /** The loss a task of this kind gets when the recipe names none. */
    public static String defaultLoss(LossKind kind) {
        return switch (kind) {
            case PAIR -> "info-nce";
            case RECONSTRUCTION -> "mse";
            case CLASSIFICATION -> "cross-entropy";
        };
    }

    /**
     * Resolves a recipe.
     *
     * @param lenientBackend when true (for {@code describe}), a backend that is not installed becomes a note
     *     instead of an error
     */
    public ResolvedRecipe resolve(Recipe recipe, boolean lenientBackend) {
        for (String key : recipe.tree().keySet()) {
            if (!SECTIONS.contains(key)) {
                String hint = UnknownComponentException.Suggestions.closest(key, SECTIONS).map(s -> "; did you mean '" + s + "'?").orElse("");
                throw new InvalidOptionException(key, "unknown recipe section; allowed: " + String.join(", ", SECTIONS) + hint);
            }
        }
        List<String> notes = new ArrayList<>();
        String name = String.valueOf(recipe.tree().getOrDefault("name", recipe.source()
                .map(p -> p.getFileName().toString().replaceFirst("\\.ya?ml$", "")).orElse("run")));
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new InvalidOptionException("name", "use letters, digits, '.', '_' or '-' only (it names the output folder), got '" + name + "'");
        }
        long seed = scalarLong(recipe.tree().get("seed"), "seed", 42L);
        Path output = Path.of(String.valueOf(recipe.tree().getOrDefault("output", "runs/" + name)));
        if (!output.isAbsolute()) {
            output = Path.of("").toAbsolutePath().resolve(output).normalize();
        }

        ComponentChoice data = component(recipe, "data", Spi.DATA_SOURCE, null);
        Optional<ComponentChoice> testData = recipe.tree().containsKey("test-data")
                ? Optional.of(component(recipe, "test-data", Spi.DATA_SOURCE, null)) : Optional.empty();
        ComponentChoice task = component(recipe, "task", Spi.PRETEXT_TASK, null);
        PretextTask taskProvider = (PretextTask) task.require().provider();
        io.pretext.api.data.Modality dataModality = ((io.pretext.api.DataSource) data.require().provider()).modality();
        if (taskProvider.modality() != dataModality) {
            String fitting = registry.all(PretextTask.class).stream().filter(p -> p.modality() == dataModality).map(PretextTask::id).sorted()
                    .collect(Collectors.joining(", "));
            throw new InvalidOptionException(task.section() + ".id", "task '" + task.id() + "' works on " + taskProvider.modality().name().toLowerCase()
                    + " data, but data source '" + data.id() + "' reads " + dataModality.name().toLowerCase() + " data; tasks for it: "
                    + (fitting.isEmpty() ? "(none installed)" : fitting));
        }
        taskProvider.check(task.options(), registry);
        LossKind kind = taskProvider.lossKind();
        ComponentChoice encoder = component(recipe, "encoder", Spi.ENCODER, "mlp");
        ComponentChoice loss = component(recipe, "loss", Spi.LOSS, defaultLoss(kind));
        Loss lossProvider = (Loss) loss.require().provider();
        if (lossProvider.kind() != kind) {
            String compatible = registry.all(Loss.class).stream().filter(l -> l.kind() == kind).map(Loss::id).sorted()
                    .collect(Collectors.joining(", "));
            throw new InvalidOptionException(loss.section() + ".id", "'" + loss.id() + "' is a " + lossProvider.kind().name().toLowerCase()
                    + " loss, but task '" + task.id() + "' needs a " + kind.name().toLowerCase() + " loss: " + compatible);
        }

        Map<String, Object> backendSection = new LinkedHashMap<>(recipe.section("backend"));
        String backendId = String.valueOf(backendSection.getOrDefault("id", DEFAULT_BACKEND));
        Optional<ProviderEntry> backendEntry = registry.find(Spi.BACKEND, backendId);
        int[] threads = new int[THREAD_OPTIONS.size()];
        ComponentChoice backend;
        if (backendEntry.isEmpty()) {
            String known = registry.ids(Spi.BACKEND).isEmpty() ? "none is installed" : "installed: " + String.join(", ", registry.ids(Spi.BACKEND));
            if (!lenientBackend) {
                throw new UnknownComponentException(Spi.BACKEND.displayName(), backendId, registry.ids(Spi.BACKEND));
            }
            notes.add("backend '" + backendId + "' is not present (" + known + "); its options were not checked and this recipe cannot run yet");
            backend = new ComponentChoice("backend", Spi.BACKEND, backendId, Options.defaults(List.of()), Optional.empty());
        } else {
            List<OptionSpec> declared = backendEntry.get().provider().options();
            // Thread counts reach every backend through BackendSettings; a backend may also declare them to document them.
            Map<String, Object> threadValues = new LinkedHashMap<>();
            for (OptionSpec spec : THREAD_OPTIONS) {
                boolean declaredByBackend = declared.stream().anyMatch(s -> s.name().equals(spec.name()));
                if (backendSection.containsKey(spec.name())) {
                    threadValues.put(spec.name(), declaredByBackend ? backendSection.get(spec.name()) : backendSection.remove(spec.name()));
                }
            }
            Options threadOptions = Options.resolve("backend", THREAD_OPTIONS, threadValues);
            for (int i = 0; i < threads.length; i++) {
                threads[i] = threadOptions.getInt(THREAD_OPTIONS.get(i).name());
            }
            backendSection.remove("id");
            backend = new ComponentChoice("backend", Spi.BACKEND, backendId, Options.resolve("backend", declared, backendSection, registry),
                    backendEntry);
        }

        Map<String, Object> trainingRaw = recipe.section("training");
        Options trainingOptions = Options.resolve("training", TrainingSettings.OPTIONS, trainingRaw);
        Options evaluationOptions = Options.resolve("evaluation", EvaluationSettings.OPTIONS, recipe.section("evaluation"));
        return new ResolvedRecipe(name, seed, output, data, task, encoder, loss, backend, threads, TrainingSettings.from(trainingOptions),
                EvaluationSettings.from(evaluationOptions), trainingOptions, evaluationOptions, testData, notes, recipe);
    }

    private ComponentChoice component(Recipe recipe, String section, Spi spi, String defaultId) {
        Map<String, Object> raw = new LinkedHashMap<>(recipe.section(section));
        Object id = raw.remove("id");
        if (id == null) {
            if (defaultId == null) {
                throw new InvalidOptionException(section + ".id", "required: which " + spi.displayName() + " to use; installed: "
                        + String.join(", ", registry.ids(spi)));
            }
            id = defaultId;
        }
        String idText = String.valueOf(id);
        ProviderEntry entry = registry.find(spi, idText)
                .orElseThrow(() -> new UnknownComponentException(spi.displayName() + " (recipe key " + section + ".id)", idText, registry.ids(spi)));
        Options options = Options.resolve(section, entry.provider().options(), raw, registry);
        return new ComponentChoice(section, spi, idText, options, Optional.of(entry));
    }

    private static long scalarLong(Object value, String key, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(key, "expected an integer, got '" + value + "'");
        }
    }
}
