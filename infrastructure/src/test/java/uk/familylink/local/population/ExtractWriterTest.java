package uk.familylink.local.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;

class ExtractWriterTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path dir;
  static ExtractWriter.Summary summary;
  static Map<Dataset, List<Map<String, String>>> extracts = new HashMap<>();
  static Map<String, Map<String, String>> truthByRef = new HashMap<>();

  @BeforeAll
  static void writeDefaultPopulation() throws IOException {
    List<Integer> progress = new ArrayList<>();
    summary =
        new ExtractWriter(PartnerContracts.classpath(), Imperfections.realistic())
            .write(
                new PopulationGenerator(7, CLOCK),
                3000,
                dir.resolve("extracts"),
                dir.resolve("truth/ground-truth.csv"),
                progress::add);
    assertThat(progress).contains(500, 3000);
    for (Dataset dataset : Dataset.values()) {
      extracts.put(dataset, read(summary.files().get(dataset)));
    }
    for (Map<String, String> row : read(summary.groundTruth())) {
      truthByRef.put(row.get("dataset") + "/" + row.get("record_ref"), row);
    }
  }

  @Test
  void theSameSeedWritesByteIdenticalFiles() throws IOException {
    ExtractWriter.Summary again =
        new ExtractWriter(PartnerContracts.classpath(), Imperfections.realistic())
            .write(
                new PopulationGenerator(7, CLOCK),
                3000,
                dir.resolve("again"),
                dir.resolve("again-truth.csv"),
                n -> {});
    for (Dataset dataset : Dataset.values()) {
      assertThat(Files.readAllBytes(again.files().get(dataset)))
          .isEqualTo(Files.readAllBytes(summary.files().get(dataset)));
    }
    assertThat(Files.readAllBytes(again.groundTruth()))
        .isEqualTo(Files.readAllBytes(summary.groundTruth()));
  }

  @Test
  void groundTruthNeverAppearsInAnExtract() throws IOException {
    for (Dataset dataset : Dataset.values()) {
      String text = Files.readString(summary.files().get(dataset));
      assertThat(text).doesNotContain("GT-P-").doesNotContain("GT-F-");
      assertThat(PartnerContracts.classpath().columns(dataset))
          .doesNotContain("person_id", "family_id");
    }
    assertThat(summary.groundTruth().startsWith(dir.resolve("extracts"))).isFalse();
    try (var files = Files.list(dir.resolve("extracts"))) {
      assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
          .isEqualTo(
              Set.of(Dataset.values()).stream()
                  .map(d -> d.id() + ".csv")
                  .collect(Collectors.toSet()));
    }
  }

  @Test
  void theGroundTruthFileMayNotBeWrittenAmongTheExtracts() {
    assertThatThrownBy(
            () ->
                new ExtractWriter(PartnerContracts.classpath(), Imperfections.none())
                    .write(
                        new PopulationGenerator(7, CLOCK),
                        1,
                        dir.resolve("x"),
                        dir.resolve("x/truth.csv"),
                        n -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the extracts folder");
  }

  @Test
  void everyExtractRowHasExactlyOneGroundTruthEntry() {
    long total = 0;
    for (Dataset dataset : Dataset.values()) {
      for (Map<String, String> row : extracts.get(dataset)) {
        assertThat(truthByRef).containsKey(dataset.id() + "/" + row.get("record_ref"));
        total++;
      }
      assertThat(extracts.get(dataset)).hasSize(summary.rows().get(dataset).intValue());
      assertThat(extracts.get(dataset)).as(dataset.id()).hasSizeGreaterThan(100);
    }
    assertThat(truthByRef).hasSize((int) total);
  }

  @Test
  void identifiersAreValidExceptInRowsMadeInvalidOnPurpose() {
    int invalidNhs = 0;
    for (Dataset dataset : List.of(Dataset.EARLY_HELP, Dataset.HEALTH, Dataset.SOCIAL_CARE)) {
      for (Map<String, String> row : extracts.get(dataset)) {
        String nhs = row.get("nhs_number");
        if (nhs.isEmpty()) {
          continue;
        }
        boolean meantInvalid =
            truthByRef
                .get(dataset.id() + "/" + row.get("record_ref"))
                .get("imperfections")
                .contains("invalid_nhs");
        assertThat(Identifiers.normalise(IdentifierKind.NHS_NUMBER, nhs) == null)
            .isEqualTo(meantInvalid);
        invalidNhs += meantInvalid ? 1 : 0;
      }
    }
    assertThat(invalidNhs).isPositive();
    assertValidOrBlank(Dataset.DWP_BENEFITS, "nino", IdentifierKind.NINO);
    assertValidOrBlank(Dataset.HOUSING, "nino", IdentifierKind.NINO);
    assertValidOrBlank(Dataset.SCHOOL_ATTENDANCE, "upn", IdentifierKind.UPN);
    assertValidOrBlank(Dataset.SCHOOL_ATTENDANCE, "uln", IdentifierKind.ULN);
    assertValidOrBlank(Dataset.POLICE_INCIDENTS, "pnc_id", IdentifierKind.PNC_ID);
    assertThat(extracts.get(Dataset.POLICE_INCIDENTS))
        .anySatisfy(r -> assertThat(r.get("pnc_id")).isEmpty())
        .anySatisfy(r -> assertThat(r.get("pnc_id")).isNotEmpty());
  }

  private static void assertValidOrBlank(Dataset dataset, String column, IdentifierKind kind) {
    assertThat(extracts.get(dataset))
        .as(dataset.id() + " " + column)
        .allSatisfy(
            row ->
                assertThat(
                        row.get(column).isEmpty()
                            || Identifiers.normalise(kind, row.get(column)) != null)
                    .isTrue());
  }

  @Test
  void imperfectionsAppearAtRoughlyTheConfiguredRates() {
    long rows = truthByRef.size();
    Map<String, Long> counts = new HashMap<>();
    truthByRef
        .values()
        .forEach(
            t -> {
              for (String label : t.get("imperfections").split(";", -1)) {
                if (!label.isEmpty()) {
                  counts.merge(label, 1L, Long::sum);
                }
              }
            });
    assertThat(counts.getOrDefault("typo", 0L) / (double) rows).isBetween(0.02, 0.04);
    assertThat(counts.getOrDefault("reformatted", 0L) / (double) rows).isBetween(0.08, 0.12);
    // only optional strong identifiers are blanked (a required one would make the row invalid), so
    // fewer rows qualify
    assertThat(counts.getOrDefault("missing_id", 0L) / (double) rows).isBetween(0.008, 0.05);
    double invalid =
        (counts.getOrDefault("invalid_nhs", 0L) + counts.getOrDefault("invalid_date", 0L))
            / (double) rows;
    assertThat(invalid).isBetween(0.005, 0.015);
    assertThat(counts).containsKeys("stale_postcode", "invalid_date");
    assertThat(summary.familiesWithThreeOrMoreNeeds() / 3000.0).isBetween(0.24, 0.33);
    assertThat(summary.eligibleFamilies() / 3000.0).isBetween(0.20, 0.30);
  }

  @Test
  void reformattedRowsUseTheAlternativeFormats() {
    List<Map<String, String>> health = extracts.get(Dataset.HEALTH);
    assertThat(health)
        .anySatisfy(r -> assertThat(r.get("nhs_number")).matches("\\d{3} \\d{3} \\d{4}"));
    assertThat(health)
        .anySatisfy(r -> assertThat(r.get("contact_date")).matches("\\d{2}/\\d{2}/\\d{4}"));
    assertThat(extracts.get(Dataset.DWP_BENEFITS))
        .anySatisfy(r -> assertThat(r.get("nino")).matches("[a-z]{2}\\d{6}[a-d]"));
  }

  @Test
  void everyExtractHasExactlyItsContractsHeaderAndUploadKey() throws IOException {
    PartnerContracts contracts = PartnerContracts.classpath();
    for (Dataset dataset : Dataset.values()) {
      Path file = summary.files().get(dataset);
      assertThat(Files.readAllLines(file).get(0))
          .as(dataset.id())
          .isEqualTo(String.join(",", contracts.contract(dataset).columnNames()));
      assertThat(summary.uploadKeys().get(dataset))
          .isEqualTo(
              "incoming/"
                  + contracts.contract(dataset).partners().get(0)
                  + "/"
                  + dataset.id()
                  + "/"
                  + dataset.id()
                  + ".csv");
      assertThat(dataset.incomingKey("x.csv"))
          .startsWith("incoming/" + contracts.contract(dataset).partners().get(0) + "/");
    }
    assertThat(summary.uploadKeys().get(Dataset.POLICE_INCIDENTS))
        .isEqualTo("incoming/police/police-incidents/police-incidents.csv");
  }

  @Test
  void columnsFollowAContractFolderGivenInstead() throws IOException {
    Path contracts = copyOfShippedContracts("reordered");
    Path housing = contracts.resolve("housing.yaml");
    List<String> lines = new ArrayList<>(Files.readAllLines(housing));
    int householdRef = indexOf(lines, "name: household_ref");
    String moved = lines.remove(householdRef);
    lines.add(indexOf(lines, "name: assessment_date") + 1, moved);
    Files.write(housing, lines);

    ExtractWriter.Summary s =
        new ExtractWriter(PartnerContracts.load(Optional.of(contracts)), Imperfections.none())
            .write(
                new PopulationGenerator(7, CLOCK),
                300,
                dir.resolve("c-extracts"),
                dir.resolve("c-truth.csv"),
                n -> {});
    assertThat(Files.readAllLines(s.files().get(Dataset.HOUSING)).get(0))
        .isEqualTo(
            "record_ref,nino,given_name,family_name,date_of_birth,postcode,address_line,housing_status,assessment_date,household_ref");
    assertThat(read(s.files().get(Dataset.HOUSING)))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.get("household_ref")).startsWith("HH"));
  }

  @Test
  void aContractRequiringAColumnTheGeneratorCannotFillIsRefusedUpFront() throws IOException {
    Path contracts = copyOfShippedContracts("extra");
    Path health = contracts.resolve("health.yaml");
    List<String> lines = new ArrayList<>(Files.readAllLines(health));
    lines.add(
        indexOf(lines, "name: contact_date") + 1,
        "  - { name: clinic_code, type: CODE, required: true, codes: [A1] }");
    Files.write(health, lines);
    PartnerContracts loaded = PartnerContracts.load(Optional.of(contracts));
    assertThatThrownBy(() -> new ExtractWriter(loaded, Imperfections.none()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("health")
        .hasMessageContaining("clinic_code");
  }

  private static Path copyOfShippedContracts(String name) throws IOException {
    Path target = Files.createDirectories(dir.resolve("contracts-" + name));
    try (var files = Files.list(Path.of("contracts"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    return target;
  }

  private static int indexOf(List<String> lines, String fragment) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(fragment)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + fragment);
  }

  @Test
  void typosChangeExactlyOneThing() {
    var random = new java.util.SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      String name = Names.GIVEN.get(i % Names.GIVEN.size());
      String typo = ExtractWriter.typo(name, random);
      assertThat(typo).isNotEqualTo(name);
      assertThat(typo.charAt(0)).isEqualTo(name.charAt(0));
      assertThat(Math.abs(typo.length() - name.length())).isLessThanOrEqualTo(1);
    }
  }

  static List<Map<String, String>> read(Path file) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file)) {
      List<String> header = null;
      for (CsvRecord record : reader) {
        if (header == null) {
          header = record.getFields();
          continue;
        }
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
          row.put(header.get(i), record.getField(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
