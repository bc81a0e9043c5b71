package io.pretext.runtime.cli;

import com.google.inject.Guice;
import io.pretext.api.Backend;
import io.pretext.api.Spi;
import io.pretext.api.error.UnknownComponentException;
import io.pretext.api.option.OptionSpec;
import io.pretext.runtime.registry.LoadProblem;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.registry.ProviderEntry;
import io.pretext.runtime.wiring.LaunchSettings;
import io.pretext.runtime.wiring.RuntimeModule;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pretext plugins}: every provider per SPI with version, description and jar, then load
 * problems; {@code pretext plugins ID...}: each named provider's options, the keys a recipe
 * section with that id accepts, with type, default and allowed range.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"List the providers on the classpath and in plugin folders, by SPI, with versions and jars.",
                "With ids (e.g. pretext plugins scarf cnn): each provider's options, with type, default, allowed range and meaning."})
public final class PluginsCommand implements Callable<Integer> {

    @Mixin
    PluginFolders plugins;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Provider ids to show in detail (every SPI is searched).")
    List<String> ids = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PluginRegistry registry = Guice.createInjector(new RuntimeModule(new LaunchSettings(plugins.all(), Optional.empty(), List.of())))
                .getInstance(PluginRegistry.class);
        if (!ids.isEmpty()) {
            describe(out, registry);
            return 0;
        }
        for (Spi spi : Spi.values()) {
            List<ProviderEntry> entries = registry.entries(spi);
            out.println(Tables.title(plural(spi.displayName())) + " (" + entries.size() + ")");
            if (entries.isEmpty()) {
                out.println("  (none)");
            }
            List<List<String>> rows = entries.stream().map(e -> List.of(e.id(), e.provider().version(), extra(e),
                    e.provider().description(), e.origin().jarName())).toList();
            Tables.print(out, List.of("id", "version", spi == Spi.BACKEND ? "capabilities" : "", "description", "jar"), rows);
            out.println();
        }
        if (!registry.problems().isEmpty()) {
            out.println("Providers that failed to load (" + registry.problems().size() + "):");
            for (LoadProblem p : registry.problems()) {
                out.println("  " + p.describe());
            }
        }
        return 0;
    }

    /** Prints each requested provider (an id may name one provider of several SPIs) with its options. */
    private void describe(PrintWriter out, PluginRegistry registry) {
        List<String> known = registry.entries().stream().map(ProviderEntry::id).distinct().sorted().toList();
        for (String id : ids) {
            if (registry.entries().stream().noneMatch(e -> e.id().equals(id))) {
                throw new UnknownComponentException("provider", id, known);
            }
        }
        boolean first = true;
        for (String id : ids) {
            for (Spi spi : Spi.values()) {
                Optional<ProviderEntry> found = registry.find(spi, id);
                if (found.isEmpty()) {
                    continue;
                }
                ProviderEntry e = found.get();
                if (!first) {
                    out.println();
                }
                first = false;
                out.println(Tables.title(spi.displayName() + " " + id) + " " + e.provider().version() + " from " + e.origin().jarName());
                out.println("  " + e.provider().description());
                if (!extra(e).isEmpty()) {
                    out.println("  capabilities: " + extra(e));
                }
                List<OptionSpec> options = e.provider().options();
                if (options.isEmpty()) {
                    out.println("  (no options)");
                    continue;
                }
                List<List<String>> rows = options.stream().map(o -> List.of(o.name(), typeOf(o, registry),
                        o.defaultValue().map(PluginsCommand::shown).orElse("(required)"), o.bounds().describe(o.type()), o.description()))
                        .toList();
                Tables.print(out, List.of("option", "type", "default", "range", "meaning"), rows);
            }
        }
    }

    private static String typeOf(OptionSpec option, PluginRegistry registry) {
        return switch (option.type()) {
            case CHOICE -> String.join("|", option.choices());
            case INTEGER_LIST -> "integers";
            case COMPONENT_LIST -> registry.displayName(option.componentType().orElseThrow()) + " list";
            default -> option.type().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A default as a recipe writes it: a component list as {@code [{id: a, k: v}, ...]}. */
    private static String shown(Object value) {
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
            return list.stream().map(e -> ((Map<?, ?>) e).entrySet().stream().map(x -> x.getKey() + ": " + x.getValue())
                    .collect(Collectors.joining(", ", "{", "}"))).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }

    private static String plural(String noun) {
        return noun.endsWith("s") ? noun + "es" : noun + "s";
    }

    private static String extra(ProviderEntry e) {
        if (e.provider() instanceof Backend b) {
            return b.capabilities().stream().map(c -> c.name().toLowerCase()).sorted().collect(Collectors.joining(","));
        }
        return "";
    }
}
