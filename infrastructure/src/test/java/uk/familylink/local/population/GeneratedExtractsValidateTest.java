package uk.familylink.local.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.validation.ExtractValidator;
import uk.familylink.domain.validation.ReasonCode;
import uk.familylink.domain.validation.ValidatedRow;
import uk.familylink.domain.validation.ValidationPolicy;
import uk.familylink.domain.validation.ValidationReport;

/**
 * The generated extracts, run through the real validator with the shipped contracts, as ingest
 * would.
 */
class GeneratedExtractsValidateTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-10T09:00:00Z"), ZoneOffset.UTC);
  private static final int FAMILIES = 300;
  private static final PopulationGenerator GENERATOR = new PopulationGenerator(11, CLOCK);

  @TempDir static Path dir;
  static ExtractWriter.Summary summary;

  /** dataset -> data row number -> ground-truth row. */
  static Map<Dataset, Map<Long, Map<String, String>>> truth = new EnumMap<>(Dataset.class);

  static Map<Dataset, ValidationReport> reports = new EnumMap<>(Dataset.class);
  static Map<Dataset, List<ValidatedRow>> validRows = new EnumMap<>(Dataset.class);

  @BeforeAll
  static void generateAndValidate() throws IOException {
    summary =
        new ExtractWriter(PartnerContracts.classpath(), Imperfections.realistic())
            .write(
                GENERATOR,
                FAMILIES,
                dir.resolve("extracts"),
                dir.resolve("ground-truth.csv"),
                n -> {});
    for (Dataset dataset : Dataset.values()) {
      truth.put(dataset, new HashMap<>());
    }
    for (Map<String, String> row : ExtractWriterTest.read(summary.groundTruth())) {
      Dataset dataset = Dataset.byId(row.get("dataset"));
      long rowNumber = Long.parseLong(row.get("record_ref").substring(2));
      assertThat(ExtractWriter.recordRef(dataset, rowNumber)).isEqualTo(row.get("record_ref"));
      truth.get(dataset).put(rowNumber, row);
    }
    for (Dataset dataset : Dataset.values()) {
      List<ValidatedRow> valid = new ArrayList<>();
      reports.put(dataset, validate(dataset, summary.files().get(dataset), valid));
      validRows.put(dataset, valid);
    }
  }

  static ValidationReport validate(Dataset dataset, Path file, List<ValidatedRow> valid)
      throws IOException {
    DatasetContract contract = PartnerContracts.classpath().contract(dataset);
    ExtractValidator validator =
        new ExtractValidator(
            contract, ValidationPolicy.DEFAULTS.overriddenBy(contract.limits()), CLOCK);
    try (InputStream in = Files.newInputStream(file)) {
      return validator.validate(in, valid::add);
    }
  }

  @Test
  void everyExtractIsAcceptedAndOnlyTheRowsMadeInvalidOnPurposeAreRefused() {
    long invalidOnPurpose = 0;
    long keptOnPurpose = 0;
    for (Dataset dataset : Dataset.values()) {
      ValidationReport report = reports.get(dataset);
      assertThat(report.status())
          .as(dataset.id() + ": " + report.toSummaryText())
          .isIn(ValidationReport.Status.ACCEPTED, ValidationReport.Status.ACCEPTED_WITH_ERRORS);
      assertThat(report.rowsTotal())
          .as(dataset.id())
          .isEqualTo(summary.rows().get(dataset))
          .isPositive();

      Set<Long> expectedInvalid =
          truth.get(dataset).entrySet().stream()
              .filter(
                  e ->
                      Set.of(e.getValue().get("imperfections").split(";")).stream()
                          .anyMatch(ExtractWriter.INVALID_LABELS::contains))
              .map(Map.Entry::getKey)
              .collect(Collectors.toCollection(TreeSet::new));
      Set<Long> withIssues =
          report.rowIssues().stream()
              .map(ValidationReport.RowIssue::row)
              .collect(Collectors.toCollection(TreeSet::new));
      Set<Long> leftOut =
          report.rowIssues().stream()
              .filter(i -> !i.rowKept())
              .map(ValidationReport.RowIssue::row)
              .collect(Collectors.toCollection(TreeSet::new));
      Set<Long> unlinkable =
          report.rowIssues().stream()
              .filter(i -> i.reason() == ReasonCode.NO_LINKABLE_IDENTIFIER)
              .map(ValidationReport.RowIssue::row)
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(report.truncated()).isFalse();
      assertThat(withIssues)
          .as(dataset.id() + " rows with a bad value; reasons " + report.counts())
          .isEqualTo(expectedInvalid);
      assertThat((long) expectedInvalid.size()).isEqualTo(summary.invalidRows().get(dataset));
      // a bad value is left out and the row linked on what remains; only rows with nothing
      // linkable left are left out
      assertThat(leftOut).as(dataset.id()).isEqualTo(unlinkable);
      assertThat(report.rowsInvalid()).as(dataset.id()).isEqualTo((long) leftOut.size());
      assertThat(report.rowsInvalid() + report.rowsKeptWithIssues())
          .as(dataset.id())
          .isEqualTo((long) expectedInvalid.size());
      // an impossible date of birth on a row with no strong identifier also leaves it unlinkable
      assertThat(report.counts().keySet())
          .as(dataset.id())
          .isSubsetOf(
              EnumSet.of(
                  ReasonCode.INVALID_NHS_NUMBER,
                  ReasonCode.INVALID_DATE,
                  ReasonCode.NO_LINKABLE_IDENTIFIER));
      invalidOnPurpose += expectedInvalid.size();
      keptOnPurpose += report.rowsKeptWithIssues();
    }
    assertThat(keptOnPurpose)
        .as("most rows with one bad value are still linked on the rest")
        .isGreaterThan(invalidOnPurpose / 2);
    assertThat(invalidOnPurpose)
        .as("the realistic imperfections include some invalid rows")
        .isPositive();
  }

  @Test
  void aTidyPopulationIsAcceptedWithoutASingleInvalidRow() throws IOException {
    ExtractWriter.Summary tidy =
        new ExtractWriter(PartnerContracts.classpath(), Imperfections.none())
            .write(
                new PopulationGenerator(12, CLOCK),
                FAMILIES,
                dir.resolve("tidy"),
                dir.resolve("tidy-truth.csv"),
                n -> {});
    for (Dataset dataset : Dataset.values()) {
      ValidationReport report = validate(dataset, tidy.files().get(dataset), new ArrayList<>());
      assertThat(report.status())
          .as(dataset.id() + ": " + report.toSummaryText())
          .isEqualTo(ValidationReport.Status.ACCEPTED);
    }
  }

  @Test
  void theNeedsEvidencedByTheRowsMatchEachFamilysNeedModel() {
    Map<String, Set<Need>> evidenced = new HashMap<>();
    for (Dataset dataset : Dataset.values()) {
      for (ValidatedRow row : validRows.get(dataset)) {
        String family = truth.get(dataset).get(row.rowNumber()).get("family_id");
        evidenced.computeIfAbsent(family, f -> EnumSet.noneOf(Need.class)).addAll(row.indicators());
      }
    }
    LocalDate today = LocalDate.now(CLOCK);
    int exact = 0;
    int withNeeds = 0;
    int eligibleByEvidence = 0;
    for (int i = 0; i < FAMILIES; i++) {
      Family family = GENERATOR.family(i);
      Set<Need> shown = evidenced.getOrDefault(family.familyId(), Set.of());
      // no partner shows a need the family does not have
      assertThat(family.needs()).as(family.familyId()).containsAll(shown);
      if (!family.needs().isEmpty()) {
        withNeeds++;
        exact += shown.equals(family.needs()) ? 1 : 0;
      }
      if (shown.size() >= 3 && (family.hasDependentChild(today) || family.hasExpectantParent())) {
        eligibleByEvidence++;
      }
    }
    assertThat(withNeeds).isGreaterThan(FAMILIES / 2);
    assertThat(exact / (double) withNeeds)
        .as("families whose every need is evidenced")
        .isGreaterThan(0.85);
    assertThat(eligibleByEvidence / (double) FAMILIES)
        .as("families eligible on the evidence")
        .isBetween(0.18, 0.32);
  }

  @Test
  void partnersHoldDifferentIdentifiersSoLinkageNeedsBothStrongIdsAndNames() {
    List<ValidatedRow> earlyHelp = validRows.get(Dataset.EARLY_HELP);
    assertThat(earlyHelp)
        .anySatisfy(r -> assertThat(r.identifiers()).containsKey(IdentifierKind.NHS_NUMBER));
    assertThat(earlyHelp)
        .anySatisfy(
            r ->
                assertThat(r.identifiers())
                    .doesNotContainKey(IdentifierKind.NHS_NUMBER)
                    .containsKeys(
                        IdentifierKind.GIVEN_NAME,
                        IdentifierKind.FAMILY_NAME,
                        IdentifierKind.DATE_OF_BIRTH,
                        IdentifierKind.POSTCODE));
    assertThat(earlyHelp).extracting(ValidatedRow::familyRole).contains("PARENT_CARER", "CHILD");
    assertThat(validRows.get(Dataset.SCHOOL_ATTENDANCE))
        .allSatisfy(
            r ->
                assertThat(r.identifiers())
                    .containsKeys(
                        IdentifierKind.UPN, IdentifierKind.GIVEN_NAME, IdentifierKind.POSTCODE));
    // a row whose date of birth is impossible is kept on its UPN, without the date
    assertThat(validRows.get(Dataset.SCHOOL_ATTENDANCE))
        .filteredOn(r -> !r.identifiers().containsKey(IdentifierKind.DATE_OF_BIRTH))
        .allSatisfy(
            r ->
                assertThat(
                        reports.get(Dataset.SCHOOL_ATTENDANCE).rowIssues().stream()
                            .filter(i -> i.row() == r.rowNumber())
                            .map(ValidationReport.RowIssue::reason))
                    .containsExactly(ReasonCode.INVALID_DATE));
    assertThat(validRows.get(Dataset.POLICE_INCIDENTS))
        .anySatisfy(r -> assertThat(r.identifiers()).containsKey(IdentifierKind.PNC_ID))
        .anySatisfy(r -> assertThat(r.identifiers()).doesNotContainKey(IdentifierKind.PNC_ID));
    assertThat(validRows.get(Dataset.HOUSING))
        .anySatisfy(r -> assertThat(r.identifiers()).containsKey(IdentifierKind.NINO));

    // the same person turns up in several partners' extracts
    Map<String, Set<Dataset>> datasetsByPerson = new HashMap<>();
    truth.forEach(
        (dataset, rows) ->
            rows.values()
                .forEach(
                    t ->
                        datasetsByPerson
                            .computeIfAbsent(t.get("person_id"), p -> EnumSet.noneOf(Dataset.class))
                            .add(dataset)));
    assertThat(datasetsByPerson.values().stream().filter(s -> s.size() >= 3).count())
        .isGreaterThan(50);
  }
}
