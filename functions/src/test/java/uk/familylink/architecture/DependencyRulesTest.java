package uk.familylink.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The domain knows nothing of AWS, Lambda, adapters or handlers; adapters do not reach into
 * handlers; the domain's packages form no cycle (each use case depends downwards: identifier,
 * contract, need, audit at the bottom; linkage, family, ingest, retention, access above them).
 */
class DependencyRulesTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("uk.familylink");

  @Test
  void domainHasNoAwsOrLambdaImports() {
    noClasses()
        .that()
        .resideInAPackage("uk.familylink.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "software.amazon..",
            "com.amazonaws..",
            "uk.familylink.adapter..",
            "uk.familylink.handler..")
        .check(MAIN);
  }

  @Test
  void adaptersDoNotDependOnHandlers() {
    noClasses()
        .that()
        .resideInAPackage("uk.familylink.adapter..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("uk.familylink.handler..")
        .check(MAIN);
  }

  @Test
  void onlyHandlersUseTheLambdaRuntime() {
    noClasses()
        .that()
        .resideOutsideOfPackage("uk.familylink.handler..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.amazonaws.services.lambda..")
        .check(MAIN);
  }

  @Test
  void auditEntriesAreWrittenOnlyAsTypedEvents() {
    // Every entry the service writes is an AuditEvent (one record per kind, one home for its
    // fields); only the audit adapters build entries directly, from what they read back.
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("uk.familylink.domain.audit.AuditEvent")
        .and()
        .resideOutsideOfPackage("uk.familylink.adapter..")
        .should()
        .callConstructor(
            uk.familylink.domain.audit.AuditEntry.class,
            String.class,
            java.time.Instant.class,
            String.class,
            java.util.Map.class,
            long.class)
        .check(MAIN);
  }

  @Test
  void domainPackagesAreFreeOfCycles() {
    slices().matching("uk.familylink.domain.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void layersAreFreeOfCycles() {
    slices().matching("uk.familylink.(*)..").should().beFreeOfCycles().check(MAIN);
  }
}
