package io.pretext.runtime.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.pretext.api.Backend;
import io.pretext.api.ComponentRegistry;
import io.pretext.api.backend.Capability;
import io.pretext.api.error.CapabilityException;
import io.pretext.api.error.PretextException;
import io.pretext.runtime.recipe.Recipe;
import io.pretext.runtime.recipe.RecipeResolver;
import io.pretext.runtime.recipe.ResolvedRecipe;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.registry.ProviderEntry;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Guice wiring of the runtime's services: registry, recipe, backend choice and output folder.
 * Plugins never see Guice: they are created by {@link java.util.ServiceLoader} and receive values.
 */
public final class RuntimeModule extends AbstractModule {

    private final LaunchSettings settings;

    public RuntimeModule(LaunchSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(LaunchSettings.class).toInstance(settings);
        bind(ComponentRegistry.class).to(PluginRegistry.class);
    }

    @Provides
    @Singleton
    PluginRegistry registry() {
        return PluginRegistry.load(RuntimeModule.class.getClassLoader(), settings.pluginFolders());
    }

    @Provides
    @Singleton
    Recipe recipe() {
        Path file = settings.recipe().orElseThrow(() -> new PretextException("this command needs a recipe file"));
        return Recipe.read(file).withOverrides(settings.overrides());
    }

    @Provides
    @Singleton
    ResolvedRecipe resolvedRecipe(PluginRegistry registry, Recipe recipe) {
        return new RecipeResolver(registry).resolve(recipe, false);
    }

    /** The recipe's backend, refused early when it cannot train. */
    @Provides
    @Singleton
    Backend trainingBackend(ResolvedRecipe recipe, PluginRegistry registry) {
        ProviderEntry entry = recipe.backend().require();
        Backend backend = (Backend) entry.provider();
        if (!backend.hasCapability(Capability.TRAINING)) {
            String trainers = registry.all(Backend.class).stream().filter(b -> b.hasCapability(Capability.TRAINING)).map(Backend::id)
                    .collect(Collectors.joining(", "));
            throw new CapabilityException("backend '" + backend.id() + "' cannot train; use " + (trainers.isEmpty() ? "a training backend" : trainers));
        }
        return backend;
    }

    @Provides
    @Singleton
    @OutputDirectory
    Path output(ResolvedRecipe recipe) {
        return recipe.output();
    }
}
