package dev.gpudev.bot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency direction {@code bot -> adapters -> scheduler}, checked on the compiled classes. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.gpudev");

    @Test
    void theSchedulerUsesNothingButTheJdkAndJspecify() {
        classes().that().resideInAPackage("dev.gpudev.scheduler..")
                .and().resideOutsideOfPackage("dev.gpudev.scheduler.testing..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.jspecify..", "dev.gpudev.scheduler..")
                .check(CLASSES);
    }

    @Test
    void theConversationNamesNoChatPlatformAndReadsNoSchedulerInternals() {
        noClasses().that().resideInAPackage("dev.gpudev.bot.conversation..")
                .should().dependOnClassesThat().resideInAnyPackage("com.slack..", "net.dv8tion..", "io.helidon..",
                        "dev.gpudev.bot.slack..", "dev.gpudev.bot.sandbox..", "dev.gpudev.scheduler.engine..", "dev.gpudev.scheduler.service..")
                .check(CLASSES);
    }

    @Test
    void theRulesSeeTheClassesTheyJudge() {
        assertThat(CLASSES.containPackage("dev.gpudev.scheduler.engine")).isTrue();
        assertThat(CLASSES.containPackage("dev.gpudev.bot.wiring")).isTrue();
        assertThat(CLASSES.containPackage("dev.gpudev.bot.conversation")).isTrue();
        assertThat(CLASSES.contain("dev.gpudev.scheduler.testing.FakeCluster")).isFalse();
    }

    @Test
    void adaptersNeverUseTheBot() {
        noClasses().that().resideInAPackage("dev.gpudev.adapters..")
                .should().dependOnClassesThat().resideInAPackage("dev.gpudev.bot..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void onlyTheWiringNamesAdapterClasses() {
        noClasses().that().resideInAPackage("dev.gpudev.bot..").and().resideOutsideOfPackage("dev.gpudev.bot.wiring..")
                .should().dependOnClassesThat().resideInAPackage("dev.gpudev.adapters..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }
}
