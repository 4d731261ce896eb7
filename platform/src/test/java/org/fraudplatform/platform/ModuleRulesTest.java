package org.fraudplatform.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module layout of docs/architecture.md, checked on the compiled classes of every module: the
 * contracts and the pure cores at the bottom, one module per role above them, the offline jobs, the
 * development tools and the command line on top, and dependencies that only point down. Maven's
 * dependency graph already stops a module from reaching one it does not declare; these rules also
 * stop what a declared dependency brings along.
 */
class ModuleRulesTest {

    private static final JavaClasses CLASSES =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    // other modules' test code, shared through their test-jars, is not theirs
                    .withImportOption(location -> !location.contains("-tests.jar"))
                    .importPackages("org.fraudplatform");

    @Test
    void modulesDependOnlyOnTheModulesBelowThem() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("schemas")
                .definedBy("org.fraudplatform.schemas..")
                .layer("features")
                .definedBy("org.fraudplatform.features..")
                .layer("rules")
                .definedBy("org.fraudplatform.rules..")
                .layer("model-runtime")
                .definedBy("org.fraudplatform.models.runtime..")
                .layer("models")
                .definedBy(
                        "org.fraudplatform.models.training..",
                        "org.fraudplatform.models.evaluation..")
                .layer("runtime")
                .definedBy("org.fraudplatform.runtime..")
                .layer("database")
                .definedBy("org.fraudplatform.database..")
                .layer("risk")
                .definedBy("org.fraudplatform.risk..")
                .layer("ledger")
                .definedBy("org.fraudplatform.ledger..")
                .layer("history")
                .definedBy("org.fraudplatform.history..")
                .layer("reconciliation")
                .definedBy("org.fraudplatform.reconciliation..")
                .layer("offline")
                .definedBy("org.fraudplatform.offline..")
                .layer("providers")
                .definedBy("org.fraudplatform.providers..")
                .layer("payment-workers")
                .definedBy("org.fraudplatform.workers..")
                .layer("payment-api")
                .definedBy("org.fraudplatform.api..")
                .layer("dev")
                .definedBy("org.fraudplatform.dev..")
                .layer("platform")
                .definedBy("org.fraudplatform.platform..")
                .whereLayer("platform")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("dev")
                .mayOnlyBeAccessedByLayers("platform")
                .whereLayer("offline")
                .mayOnlyBeAccessedByLayers("platform")
                .whereLayer("payment-api")
                .mayOnlyBeAccessedByLayers("dev", "platform")
                .whereLayer("payment-workers")
                .mayOnlyBeAccessedByLayers("payment-api", "platform")
                .whereLayer("providers")
                .mayOnlyBeAccessedByLayers("payment-workers", "payment-api", "dev", "platform")
                .whereLayer("risk")
                .mayOnlyBeAccessedByLayers("offline", "platform")
                .whereLayer("ledger")
                .mayOnlyBeAccessedByLayers("platform")
                .whereLayer("history")
                .mayOnlyBeAccessedByLayers("payment-api", "platform")
                .whereLayer("reconciliation")
                .mayOnlyBeAccessedByLayers("providers", "payment-api", "platform")
                .whereLayer("models")
                .mayOnlyBeAccessedByLayers("platform")
                .whereLayer("database")
                .mayOnlyBeAccessedByLayers(
                        "history",
                        "reconciliation",
                        "providers",
                        "payment-workers",
                        "payment-api",
                        "dev",
                        "platform")
                .whereLayer("runtime")
                .mayOnlyBeAccessedByLayers(
                        "database",
                        "risk",
                        "ledger",
                        "reconciliation",
                        "providers",
                        "payment-workers",
                        "payment-api",
                        "dev",
                        "platform")
                .whereLayer("model-runtime")
                .mayOnlyBeAccessedByLayers("models", "risk", "offline", "platform")
                .whereLayer("rules")
                .mayOnlyBeAccessedByLayers("risk", "offline", "platform")
                .whereLayer("features")
                .mayOnlyBeAccessedByLayers("risk", "ledger", "offline", "platform")
                .check(CLASSES);
    }

    @Test
    void theCoresRunAnywhere() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "org.fraudplatform.features..", "org.fraudplatform.models.runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka..", "org.apache.flink..", "java.sql..", "javax.sql..")
                .because(
                        "the features core and the model runtime are the same code online, in"
                                + " the backfill and in training")
                .check(CLASSES);
    }

    @Test
    void onlyTheOfflineJobsAndTheCommandLineUseFlink() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "org.fraudplatform.offline..", "org.fraudplatform.platform..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", "org.duckdb..")
                .check(CLASSES);
    }

    @Test
    void onlyTrainingUsesTheTrainingLibraries() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "org.fraudplatform.models..", "org.fraudplatform.platform..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.tribuo..", "org.deeplearning4j..", "org.nd4j..", "ml.dmlc..")
                .check(CLASSES);
    }

    @Test
    void modulesHaveNoCycles() {
        slices().matching("org.fraudplatform.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theTopologiesAndTheCoresHaveNoPackageCycles() {
        slices().matching("org.fraudplatform.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
