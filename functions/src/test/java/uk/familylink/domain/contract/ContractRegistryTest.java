package uk.familylink.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.familylink.domain.identifier.IdentifierKind;

class ContractRegistryTest {

  private static final List<String> SHIPPED =
      List.of(
          "dwp-benefits",
          "early-help",
          "health",
          "housing",
          "police-incidents",
          "school-attendance",
          "social-care");

  private static final String MINIMAL =
      """
            dataset: sample
            version: 2
            partners: [acme]
            columns:
              - { name: record_ref, type: IDENTIFIER, identifier: RECORD_REF, required: true }
              - { name: kind, type: CODE, codes: [a, b] }
            indicators:
              - { need: HOUSING, when: { column: kind, in: [A] } }
            """;

  @Test
  void theShippedContractsLoadFromTheClasspath() {
    ContractRegistry registry = ContractRegistry.fromClasspath();

    assertThat(registry.all())
        .extracting(DatasetContract::dataset)
        .containsExactlyElementsOf(SHIPPED);
    assertThat(registry.partners())
        .containsExactlyInAnyOrder(
            "dwp", "early-help", "health", "housing", "police", "schools", "social-care");
    assertThat(registry.datasetsFor("police"))
        .extracting(DatasetContract::dataset)
        .containsExactly("police-incidents");
    assertThat(registry.datasetsFor("nobody")).isEmpty();
    assertThat(registry.isAllowed("police", "police-incidents")).isTrue();
    assertThat(registry.isAllowed("health", "police-incidents")).isFalse();
    assertThat(registry.isAllowed("police", "no-such-dataset")).isFalse();
    assertThat(registry.find("no-such-dataset")).isEmpty();
  }

  @Test
  void everyShippedContractIsLinkableAndItsRulesReferToItsColumns() {
    for (DatasetContract c : ContractRegistry.fromClasspath().all()) {
      assertThat(c.column("record_ref"))
          .as(c.dataset())
          .hasValueSatisfying(
              col -> {
                assertThat(col.identifier()).isEqualTo(IdentifierKind.RECORD_REF);
                assertThat(col.required()).isTrue();
              });
      assertThat(c.columns())
          .extracting(ColumnSpec::identifier)
          .as(c.dataset())
          .contains(
              IdentifierKind.GIVEN_NAME, IdentifierKind.FAMILY_NAME, IdentifierKind.DATE_OF_BIRTH);
      assertThat(c.columnNames()).as(c.dataset()).allMatch(n -> n.matches("[a-z][a-z0-9_]*"));
      assertThat(c.indicators()).as(c.dataset()).isNotEmpty();
      for (IndicatorRule rule : c.indicators()) {
        assertReferencesExist(c, rule.when());
      }
    }
  }

  private static void assertReferencesExist(DatasetContract c, Condition condition) {
    if (condition instanceof Condition.In in) {
      ColumnSpec col = c.column(in.column()).orElseThrow();
      assertThat(col.type()).isEqualTo(ColumnType.CODE);
      assertThat(col.codes()).containsAll(in.codes());
    } else if (condition instanceof Condition.Contains contains) {
      ColumnSpec col = c.column(contains.column()).orElseThrow();
      assertThat(col.type()).isEqualTo(ColumnType.CODE_LIST);
      assertThat(col.codes()).containsAll(contains.codes());
    } else if (condition instanceof Condition.Is is) {
      assertThat(c.column(is.column()).orElseThrow().type()).isEqualTo(ColumnType.BOOLEAN);
    } else if (condition instanceof Condition.AtLeast atLeast) {
      assertThat(c.column(atLeast.column()).orElseThrow().type()).isEqualTo(ColumnType.INTEGER);
    } else if (condition instanceof Condition.Ratio ratio) {
      assertThat(c.column(ratio.numerator()).orElseThrow().type()).isEqualTo(ColumnType.INTEGER);
      assertThat(c.column(ratio.denominator()).orElseThrow().type()).isEqualTo(ColumnType.INTEGER);
    } else if (condition instanceof Condition.All all) {
      all.conditions().forEach(p -> assertReferencesExist(c, p));
    } else if (condition instanceof Condition.Any any) {
      any.conditions().forEach(p -> assertReferencesExist(c, p));
    }
  }

  @Test
  void theEarlyHelpContractHasOneRulePerHeadlineNeed() {
    DatasetContract earlyHelp = ContractRegistry.fromClasspath().find("early-help").orElseThrow();

    assertThat(earlyHelp.indicators())
        .extracting(IndicatorRule::need)
        .containsExactlyInAnyOrder(uk.familylink.domain.need.Need.values());
  }

  @Test
  void aMinimalContractParsesWithNormalisedCodes() {
    DatasetContract c = parse("sample.yaml", MINIMAL);

    assertThat(c.version()).isEqualTo(2);
    assertThat(c.column("kind").orElseThrow().codes()).containsExactly("A", "B");
    assertThat(c.indicators().get(0).when()).isEqualTo(new Condition.In("kind", List.of("A")));
    assertThat(c.limits()).isEqualTo(ContractLimits.NONE);
  }

  @Test
  void addingADatasetIsAddingAFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("sample.yaml"), MINIMAL);
    Files.writeString(dir.resolve("README.md"), "not a contract");

    ContractRegistry registry = ContractRegistry.fromDirectory(dir);

    assertThat(registry.all()).extracting(DatasetContract::dataset).containsExactly("sample");
    assertThat(registry.isAllowed("acme", "sample")).isTrue();
  }

  @Test
  void contractsLoadFromInsideAJar(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("contracts.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("contracts/"));
      out.closeEntry();
      out.putNextEntry(new JarEntry("contracts/sample.yaml"));
      out.write(MINIMAL.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      ContractRegistry registry = ContractRegistry.fromClasspath(loader, "contracts");

      assertThat(registry.all()).extracting(DatasetContract::dataset).containsExactly("sample");
    }
  }

  @Test
  void anEmptyDirectoryFailsFast(@TempDir Path dir) {
    assertThatThrownBy(() -> ContractRegistry.fromDirectory(dir))
        .isInstanceOf(ContractException.class)
        .hasMessageContaining("no contracts");
  }

  @Test
  void anUnknownColumnTypeFailsFastNamingFileAndColumn() {
    assertInvalid(
        MINIMAL.replace("type: CODE,", "type: TEXT,"),
        "contract sample.yaml",
        "columns[1] (kind).type",
        "unknown value 'TEXT'");
  }

  @Test
  void anUnknownIdentifierKindFailsFast() {
    assertInvalid(
        MINIMAL.replace("identifier: RECORD_REF", "identifier: PASSPORT"),
        "unknown value 'PASSPORT'");
  }

  @Test
  void aRuleReferencingAMissingColumnFailsFast() {
    assertInvalid(
        MINIMAL.replace("column: kind", "column: knid"),
        "indicators[0].when.column",
        "refers to column 'knid'");
  }

  @Test
  void aRuleReferencingAnUnknownCodeFailsFast() {
    assertInvalid(
        MINIMAL.replace("in: [A]", "in: [C]"), "code 'C' is not one of the column's codes");
  }

  @Test
  void aRuleOnAColumnOfTheWrongTypeFailsFast() {
    assertInvalid(
        MINIMAL.replace("in: [A]", "isTrue: true"), "is CODE but this condition needs BOOLEAN");
  }

  @Test
  void anUnknownNeedFailsFast() {
    assertInvalid(
        MINIMAL.replace("need: HOUSING", "need: HAPPINESS"),
        "indicators[0].need",
        "unknown value 'HAPPINESS'");
  }

  @Test
  void keepingAnIdentifierIsRefused() {
    assertInvalid(
        MINIMAL.replace("required: true }", "required: true, keep: true }"),
        "keep: true is not allowed on an IDENTIFIER column");
  }

  @Test
  void aMisspeltSettingIsRefused() {
    assertInvalid(
        MINIMAL.replace("required: true", "requried: true"), "requried", "unknown setting");
  }

  @Test
  void aContractWithoutARecordReferenceIsRefused() {
    assertInvalid(
        MINIMAL.replace("identifier: RECORD_REF", "identifier: FAMILY_REF"), "RECORD_REF");
  }

  @Test
  void theDatasetMustMatchTheFileName() {
    assertThatThrownBy(() -> parse("other.yaml", MINIMAL))
        .isInstanceOf(ContractException.class)
        .hasMessageContaining("must match the file name");
  }

  @Test
  void aMeaningNeedsTheRightColumnType() {
    assertInvalid(
        MINIMAL.replace("codes: [a, b] }", "codes: [a, b], meaning: EVENT_DATE }"),
        "meaning EVENT_DATE needs a DATE column");
  }

  @Test
  void brokenYamlIsReportedAgainstItsFile() {
    assertInvalid("dataset: [unclosed", "contract sample.yaml", "not valid YAML");
  }

  @Test
  void limitsAreReadAndChecked() {
    DatasetContract c =
        parse(
            "sample.yaml",
            MINIMAL.replace(
                "partners: [acme]",
                "partners: [acme]\nlimits: { maxRows: 10, maxInvalidShare: 0.2 }"));
    assertThat(c.limits()).isEqualTo(new ContractLimits(null, 10L, null, 0.2));

    assertInvalid(
        MINIMAL.replace("partners: [acme]", "partners: [acme]\nlimits: { maxInvalidShare: 2 }"),
        "limits.maxInvalidShare");
  }

  private static DatasetContract parse(String file, String yaml) {
    return ContractRegistry.parse(
        file, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertInvalid(String yaml, String... messageParts) {
    assertThatThrownBy(() -> parse("sample.yaml", yaml))
        .isInstanceOf(ContractException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
  }
}
