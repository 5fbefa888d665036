package io.focus.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on the production classes of every focus module (tests excluded).
 *
 * <p>No package depends on itself through others (a cycle makes two packages one thing that cannot be understood or
 * changed apart), and the modules depend only in the direction the data flows (docs/design.md, "Modules and
 * packages"): wire formats ({@code focus-core}) &larr; which bridges exist and are fit ({@code focus-health}) and the
 * strategies ({@code focus-selection}) &larr; conferences ({@code focus-conference}) &larr; the daemon
 * ({@code focus-app}). Conferences learn about bridges only through the domain types and the selection SPI in
 * focus-core, so they never reach into the registry or the health doctor.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.focus");
        // a scan that found nothing would pass every rule below
        for (String p : List.of("io.focus.core.", "io.focus.health.", "io.focus.selection.", "io.focus.conference.",
                "io.focus.app.")) {
            assertFalse(classes.stream().noneMatch(c -> c.getName().startsWith(p)), "no classes found in " + p);
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.focus.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theWireFormatsDependOnNothingAboveThem() {
        rule("io.focus.core..", "io.focus.health..", "io.focus.selection..", "io.focus.conference..",
                "io.focus.app..").check(classes);
    }

    @Test
    void bridgeFitnessDoesNotKnowConferencesOrStrategies() {
        rule("io.focus.health..", "io.focus.selection..", "io.focus.conference..", "io.focus.app..").check(classes);
    }

    @Test
    void strategiesSeeOnlyTheSpi() {
        rule("io.focus.selection..", "io.focus.health..", "io.focus.conference..", "io.focus.app..").check(classes);
    }

    @Test
    void conferencesSeeBridgesOnlyThroughTheDomainTypesAndTheSpi() {
        rule("io.focus.conference..", "io.focus.health..", "io.focus.selection..", "io.focus.app..").check(classes);
    }

    @Test
    void theSimulatorsShareNothingWithTheFocus() {
        // the simulators play real bridges and clients from their own templates, so the two cannot share a mistake
        rule("io.focus.sim..", "io.focus.core..", "io.focus.health..", "io.focus.selection..",
                "io.focus.conference..", "io.focus.app..").check(classes);
    }

    private static ArchRule rule(String packages, String... forbidden) {
        return noClasses().that().resideInAPackage(packages).should().dependOnClassesThat()
                .resideInAnyPackage(forbidden);
    }
}
