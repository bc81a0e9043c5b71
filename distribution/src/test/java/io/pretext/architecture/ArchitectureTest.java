package io.pretext.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pretext.api.ApiStatus;
import io.pretext.api.Provider;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md, checked over the main classes of every module on
 * this module's classpath (the distribution depends on all of them; {@link #importsEveryModule}
 * holds that).
 */
class ArchitectureTest {

    /**
     * Root packages under {@code io.pretext} that are not plugins: the api, the runtime, the testkit,
     * the libraries plugins may build on (layers; the backend toolkit, for backends) and the
     * benchmarks. Every other root package is a plugin module's.
     */
    static final Set<String> NOT_PLUGINS = Set.of("io.pretext.api", "io.pretext.runtime", "io.pretext.testkit", "io.pretext.layers",
            "io.pretext.backend.toolkit", "io.pretext.bench");

    /** Packages of plugin modules, as ArchUnit patterns ({@code io.pretext.core..}); each must not know the others. */
    static String[] PLUGIN_PACKAGES;

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pretext");
        PLUGIN_PACKAGES = classes.stream().map(c -> rootPackage(c.getPackageName()))
                .filter(p -> !NOT_PLUGINS.contains(p)).distinct().sorted().map(p -> p + "..").toArray(String[]::new);
    }

    /**
     * The root package of a module that a package belongs to: {@code io.pretext.NAME}, or
     * {@code io.pretext.backend.NAME} for the backends and their toolkit.
     */
    static String rootPackage(String packageName) {
        String[] parts = packageName.split("\\.");
        int depth = parts.length > 3 && parts[2].equals("backend") ? 4 : 3;
        return String.join(".", Arrays.asList(parts).subList(0, Math.min(depth, parts.length)));
    }

    /**
     * Guards the rules below against passing vacuously: every module of the reactor that has main
     * code must have its classes imported, so each must be a dependency of the distribution.
     */
    @Test
    void importsEveryModule() {
        List<ReactorModules.Module> modules = ReactorModules.withMainCode();
        assertTrue(modules.stream().anyMatch(m -> m.rootPackage().equals("io.pretext.api")), "modules read from the poms: " + modules);
        modules.forEach(m -> assertTrue(m.rootPackage().startsWith("io.pretext."),
                m.folder() + ": main code must live under one package io.pretext.NAME, not " + m.rootPackage()));
        List<String> missing = modules.stream()
                .filter(m -> classes.stream().noneMatch(c -> (c.getPackageName() + ".").startsWith(m.rootPackage() + ".")))
                .map(m -> m.folder() + " (" + m.rootPackage() + ")")
                .toList();
        assertTrue(missing.isEmpty(), "no main classes of " + missing + " were imported; add each module as a dependency of "
                + "distribution/pom.xml (test scope if it is not part of the launcher)");
        assertTrue(Arrays.asList(PLUGIN_PACKAGES).containsAll(List.of("io.pretext.core..", "io.pretext.tabular..")),
                "plugin packages found: " + Arrays.toString(PLUGIN_PACKAGES));
    }

    /** Library code logs through SLF4J or reports to a listener; only the CLI writes to the standard streams. */
    @Test
    void onlyTheCliWritesToTheStandardStreams() {
        noClasses().that().resideOutsideOfPackages("io.pretext.runtime.cli..", "io.pretext.bench..")
                .should(com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .check(classes);
    }

    @Test
    void apiDependsOnlyOnTheJdk() {
        classes().that().resideInAPackage("io.pretext.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.pretext.api..")
                .check(classes);
    }

    /** Users see how far they may build on each api type; a nested type shares its enclosing type's status. */
    @Test
    void everyPublicApiTypeStatesItsStability() {
        classes().that().resideInAPackage("io.pretext.api..").and().arePublic().and().areTopLevelClasses()
                .should().beAnnotatedWith(ApiStatus.class)
                .check(classes);
    }

    /** The layer library is shared by plugins (which may use it) and so may itself use nothing but the api. */
    @Test
    void layersDependOnlyOnTheApiAndTheJdk() {
        classes().that().resideInAPackage("io.pretext.layers..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.pretext.api..", "io.pretext.layers..")
                .check(classes);
    }

    @Test
    void pluginsNeverDependOnTheRuntime() {
        noClasses().that().resideInAnyPackage(PLUGIN_PACKAGES)
                .should().dependOnClassesThat().resideInAPackage("io.pretext.runtime..")
                .check(classes);
    }

    @Test
    void pluginsNeverDependOnEachOther() {
        for (String from : PLUGIN_PACKAGES) {
            for (String to : PLUGIN_PACKAGES) {
                if (!from.equals(to)) {
                    noClasses().that().resideInAPackage(from)
                            .should().dependOnClassesThat().resideInAPackage(to)
                            .check(classes);
                }
            }
        }
    }

    @Test
    void runtimeNeverNamesAPluginClass() {
        noClasses().that().resideInAPackage("io.pretext.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage(PLUGIN_PACKAGES)
                .check(classes);
    }

    @Test
    void mainCodeNeverDependsOnTheTestkit() {
        noClasses().that().resideOutsideOfPackage("io.pretext.testkit..")
                .should().dependOnClassesThat().resideInAPackage("io.pretext.testkit..")
                .check(classes);
    }

    @Test
    void guiceLivesInTheRuntimeOnly() {
        noClasses().that().resideOutsideOfPackage("io.pretext.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "jakarta.inject..")
                .check(classes);
    }

    /** The stability annotation is metadata every api package carries, not a dependency between features. */
    @Test
    void noPackageCycles() {
        slices().matching("io.pretext.(**)").should().beFreeOfCycles()
                .ignoreDependency(DescribedPredicate.alwaysTrue(), JavaClass.Predicates.belongToAnyOf(ApiStatus.class))
                .check(classes);
    }

    @Test
    void spiTypesLiveInTheApi() {
        classes().that().areInterfaces().and().areAssignableTo(Provider.class)
                .should().resideInAPackage("io.pretext.api..")
                .check(classes);
    }

    @Test
    void providersHaveAPublicNoArgConstructor() {
        ArchCondition<JavaClass> publicNoArg = new ArchCondition<>("have a public no-arg constructor (ServiceLoader needs it)") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                boolean ok = c.getModifiers().contains(JavaModifier.PUBLIC) && c.getConstructors().stream()
                        .anyMatch(k -> k.getModifiers().contains(JavaModifier.PUBLIC) && k.getRawParameterTypes().isEmpty());
                if (!ok) {
                    events.add(SimpleConditionEvent.violated(c, c.getName() + " has no public no-arg constructor"));
                }
            }
        };
        classes().that().areAssignableTo(Provider.class).and().areNotInterfaces().and().doNotHaveModifier(JavaModifier.ABSTRACT)
                .should(publicNoArg)
                .check(classes);
    }
}
