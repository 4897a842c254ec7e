package dev.infera.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's rules: dependencies point inward only, server → {frontends, backends} → core → spi;
 * inside the core, engine → routing → pipeline → scheduling, the lifecycle publishes the routing
 * table, and no package imports one that imports it.
 */
class DependencyRuleTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.infera.spi", "dev.infera.core");

  @Test
  void spiDependsOnTheJdkOnly() {
    classes()
        .that()
        .resideInAPackage("dev.infera.spi..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("dev.infera.spi..", "java..")
        .check(CLASSES);
  }

  @Test
  void coreKnowsNoTransportServerOrBackend() {
    noClasses()
        .that()
        .resideInAPackage("dev.infera.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.infera.server..",
            "dev.infera.backend..",
            "com.linecorp.armeria..",
            "io.grpc..",
            "io.netty..",
            "ai.onnxruntime..",
            "ml.dmlc..")
        .check(CLASSES);
  }

  @Test
  void corePackagesHaveNoCycles() {
    slices().matching("dev.infera.core.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void routingKnowsNeitherTheEngineNorTheLifecycle() {
    noClasses()
        .that()
        .resideInAPackage("dev.infera.core.routing..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.infera.core.engine..", "dev.infera.core.lifecycle..")
        .check(CLASSES);
  }

  @Test
  void theEngineSeesLoadedVersionsOnlyThroughTheRoutingTable() {
    noClasses()
        .that()
        .resideInAPackage("dev.infera.core.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.infera.core.lifecycle..")
        .check(CLASSES);
  }

  @Test
  void nothingBelowTheEngineCallsIt() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.infera.core.engine..")
        .and()
        .resideInAPackage("dev.infera.core..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.infera.core.engine..")
        .check(CLASSES);
  }

  @Test
  void schedulingKnowsNoRoutingPipelineLifecycleOrEngine() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.infera.core.scheduling..", "dev.infera.core.pipeline..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.infera.core.engine..", "dev.infera.core.routing..", "dev.infera.core.lifecycle..")
        .check(CLASSES);
  }
}
