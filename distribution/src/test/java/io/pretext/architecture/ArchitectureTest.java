package io.pretext.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pretext.api.Provider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md, checked over the main classes of every module on
 * this module's classpath (the distribution depends on all of them).
 */
class ArchitectureTest {

    /** Packages of plugin modules; each is a separate module that must not know the others. */
    static final String[] PLUGIN_PACKAGES = {"io.pretext.core..", "io.pretext.tensorflow..", "io.pretext.djl..", "io.pretext.onnx..",
        "io.pretext.tabular..", "io.pretext.vision..", "io.pretext.text..", "io.pretext.video.."};

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pretext");
    }

    @Test
    void importsEveryModule() {
        // Guards the rules below against passing vacuously because nothing was imported.
        assertTrue(classes.contain("io.pretext.api.Provider"));
        assertTrue(classes.contain("io.pretext.runtime.cli.Main"));
        assertTrue(classes.stream().anyMatch(c -> c.getPackageName().startsWith("io.pretext.core")));
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
                            .allowEmptyShould(true)
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

    @Test
    void noPackageCycles() {
        slices().matching("io.pretext.(**)").should().beFreeOfCycles().check(classes);
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
