package uk.familylink.local.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

class ExtractWriterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path dir;
    static ExtractWriter.Summary summary;
    static Map<Dataset, List<Map<String, String>>> extracts = new HashMap<>();
    static Map<String, Map<String, String>> truthByRef = new HashMap<>();

    @BeforeAll
    static void writeDefaultPopulation() throws IOException {
        List<Integer> progress = new ArrayList<>();
        summary = new ExtractWriter(ContractColumns.defaults(), Imperfections.realistic())
                .write(new PopulationGenerator(7, CLOCK), 3000, dir.resolve("extracts"), dir.resolve("truth/ground-truth.csv"), progress::add);
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
        ExtractWriter.Summary again = new ExtractWriter(ContractColumns.defaults(), Imperfections.realistic())
                .write(new PopulationGenerator(7, CLOCK), 3000, dir.resolve("again"), dir.resolve("again-truth.csv"), n -> { });
        for (Dataset dataset : Dataset.values()) {
            assertThat(Files.readAllBytes(again.files().get(dataset))).isEqualTo(Files.readAllBytes(summary.files().get(dataset)));
        }
        assertThat(Files.readAllBytes(again.groundTruth())).isEqualTo(Files.readAllBytes(summary.groundTruth()));
    }

    @Test
    void groundTruthNeverAppearsInAnExtract() throws IOException {
        for (Dataset dataset : Dataset.values()) {
            String text = Files.readString(summary.files().get(dataset));
            assertThat(text).doesNotContain("GT-P-").doesNotContain("GT-F-");
            assertThat(dataset.defaultColumns()).doesNotContain("person_id", "family_id");
        }
        assertThat(summary.groundTruth().startsWith(dir.resolve("extracts"))).isFalse();
        try (var files = Files.list(dir.resolve("extracts"))) {
            assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
                    .isEqualTo(Set.of(Dataset.values()).stream().map(d -> d.id() + ".csv").collect(Collectors.toSet()));
        }
    }

    @Test
    void theGroundTruthFileMayNotBeWrittenAmongTheExtracts() {
        assertThatThrownBy(() -> new ExtractWriter(ContractColumns.defaults(), Imperfections.none())
                .write(new PopulationGenerator(7, CLOCK), 1, dir.resolve("x"), dir.resolve("x/truth.csv"), n -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the extracts folder");
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
                String nhs = row.get("nhs_number").replace(" ", "");
                if (nhs.isEmpty()) {
                    continue;
                }
                boolean meantInvalid = truthByRef.get(dataset.id() + "/" + row.get("record_ref")).get("imperfections").contains("invalid_nhs");
                assertThat(SyntheticCheckDigits.isValidNhsNumber(nhs)).isEqualTo(!meantInvalid);
                invalidNhs += meantInvalid ? 1 : 0;
            }
        }
        assertThat(invalidNhs).isPositive();
        for (Map<String, String> row : extracts.get(Dataset.DWP_BENEFITS)) {
            String nino = row.get("nino").replace(" ", "").toUpperCase();
            assertThat(nino.isEmpty() || SyntheticCheckDigits.isValidNino(nino)).isTrue();
        }
        for (Map<String, String> row : extracts.get(Dataset.SCHOOL_ATTENDANCE)) {
            String upn = row.get("upn").toUpperCase();
            assertThat(upn.isEmpty() || SyntheticCheckDigits.isValidUpn(upn)).isTrue();
            assertThat(row.get("uln").isEmpty() || SyntheticCheckDigits.isValidUln(row.get("uln"))).isTrue();
        }
        for (Map<String, String> row : extracts.get(Dataset.POLICE_INCIDENTS)) {
            assertThat(row.get("pnc_id").isEmpty() || SyntheticCheckDigits.isValidPncId(row.get("pnc_id"))).isTrue();
        }
    }

    @Test
    void imperfectionsAppearAtRoughlyTheConfiguredRates() {
        long rows = truthByRef.size();
        Map<String, Long> counts = new HashMap<>();
        truthByRef.values().forEach(t -> {
            for (String label : t.get("imperfections").split(";")) {
                if (!label.isEmpty()) {
                    counts.merge(label, 1L, Long::sum);
                }
            }
        });
        assertThat(counts.getOrDefault("typo", 0L) / (double) rows).isBetween(0.02, 0.04);
        assertThat(counts.getOrDefault("reformatted", 0L) / (double) rows).isBetween(0.08, 0.12);
        assertThat(counts.getOrDefault("missing_id", 0L) / (double) rows).isBetween(0.025, 0.06);
        double invalid = (counts.getOrDefault("invalid_nhs", 0L) + counts.getOrDefault("invalid_date", 0L)) / (double) rows;
        assertThat(invalid).isBetween(0.005, 0.015);
        assertThat(counts).containsKeys("stale_postcode", "invalid_date");
        assertThat(summary.familiesWithThreeOrMoreNeeds() / 3000.0).isBetween(0.20, 0.30);
    }

    @Test
    void reformattedRowsUseTheAlternativeFormats() {
        List<Map<String, String>> health = extracts.get(Dataset.HEALTH);
        assertThat(health).anySatisfy(r -> assertThat(r.get("nhs_number")).matches("\\d{3} \\d{3} \\d{4}"));
        assertThat(health).anySatisfy(r -> assertThat(r.get("contact_date")).matches("\\d{2}/\\d{2}/\\d{4}"));
        assertThat(extracts.get(Dataset.DWP_BENEFITS)).anySatisfy(r -> assertThat(r.get("nino")).matches("[a-z]{2}\\d{6}[a-d]"));
    }

    @Test
    void columnsFollowTheContractOrderAndUnknownColumnsStayEmpty() throws IOException {
        Path contracts = Files.createDirectories(dir.resolve("contracts"));
        Files.writeString(contracts.resolve("housing.yaml"), """
                dataset: housing
                columns:
                  - name: household_ref
                  - name: record_ref
                  - name: tenure
                  - name: postcode
                """);
        ContractColumns columns = ContractColumns.load(Optional.of(contracts));
        assertThat(columns.columns(Dataset.HOUSING)).containsExactly("household_ref", "record_ref", "tenure", "postcode");
        assertThat(columns.columns(Dataset.HEALTH)).isEqualTo(Dataset.HEALTH.defaultColumns());
        ExtractWriter.Summary s = new ExtractWriter(columns, Imperfections.none())
                .write(new PopulationGenerator(7, CLOCK), 300, dir.resolve("c-extracts"), dir.resolve("c-truth.csv"), n -> { });
        List<Map<String, String>> housing = read(s.files().get(Dataset.HOUSING));
        assertThat(Files.readAllLines(s.files().get(Dataset.HOUSING)).get(0)).isEqualTo("household_ref,record_ref,tenure,postcode");
        assertThat(housing).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("tenure")).isEmpty();
            assertThat(r.get("household_ref")).startsWith("HH");
        });
    }

    @Test
    void contractColumnsReadPlainListsAndMaps() throws IOException {
        assertThat(ContractColumns.parse(new ByteArrayInputStream("columns: [a, b]".getBytes(StandardCharsets.UTF_8)), "t")).containsExactly("a", "b");
        assertThat(ContractColumns.parse(new ByteArrayInputStream("columns:\n  x: {type: string}\n  y: {}\n".getBytes(StandardCharsets.UTF_8)), "t"))
                .containsExactly("x", "y");
        assertThatThrownBy(() -> ContractColumns.parse(new ByteArrayInputStream("name: z".getBytes(StandardCharsets.UTF_8)), "t"))
                .hasMessageContaining("lists no columns");
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
