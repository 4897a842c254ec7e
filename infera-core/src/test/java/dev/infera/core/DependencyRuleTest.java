package dev.infera.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's rule: dependencies point inward only, server → {frontends, backends} → core → spi.
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
}
