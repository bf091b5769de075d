package uk.familylink.local.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;

class LinkageErrorsTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void withoutErrorsTheExtractsAreExactlyThoseOfThePlainGenerator() throws IOException {
    ExtractWriter.Summary plain = write(new PopulationGenerator(5, CLOCK), "plain");
    ExtractWriter.Summary none =
        write(new PopulationGenerator(5, CLOCK, LinkageErrors.none()), "none");
    for (Dataset dataset : Dataset.values()) {
      assertThat(Files.readAllBytes(none.files().get(dataset)))
          .isEqualTo(Files.readAllBytes(plain.files().get(dataset)));
    }
    assertThat(Files.readAllBytes(none.groundTruth()))
        .isEqualTo(Files.readAllBytes(plain.groundTruth()));
  }

  @Test
  void everyRowLevelErrorKindOccursAndIsLabelledInTheGroundTruth() throws IOException {
    ExtractWriter.Summary summary =
        write(new PopulationGenerator(5, CLOCK, LinkageErrors.realWorld()), "errors");
    Set<String> labels = new TreeSet<>();
    for (Map<String, String> row : ExtractWriterTest.read(summary.groundTruth())) {
      labels.addAll(List.of(row.get("imperfections").split(";")));
      assertThat(ExtractWriter.AGE_BANDS).contains(row.get("age_band"));
    }
    assertThat(labels)
        .contains(
            "nickname",
            "name_order_swap",
            "double_barrel_half",
            "married_name",
            "dob_year",
            "dob_day_month_swap",
            "moved",
            "transposed_nhs",
            "relative_nhs",
            "typo",
            "stale_postcode");
  }

  @Test
  void twinsAndSameNameSameBirthDateStrangersExist() {
    PopulationGenerator generator = new PopulationGenerator(5, CLOCK, LinkageErrors.realWorld());
    long twinFamilies =
        IntStream.range(0, 600)
            .mapToObj(generator::family)
            .filter(
                f -> {
                  List<Person> c = f.children();
                  return c.size() >= 2
                      && c.get(0).dateOfBirth().equals(c.get(1).dateOfBirth())
                      && c.get(0).familyName().equals(c.get(1).familyName())
                      && !c.get(0).givenName().equals(c.get(1).givenName());
                })
            .count();
    assertThat(twinFamilies).isGreaterThan(5);
    Map<String, String> firstAdultKey = new HashMap<>();
    long strangers = 0;
    for (int i = 0; i < 600; i++) {
      Person p = generator.family(i).members().get(0);
      String key = p.givenName() + "|" + p.familyName() + "|" + p.dateOfBirth();
      String other = firstAdultKey.put(key, p.personId());
      if (other != null && !other.equals(p.personId())) {
        strangers++;
        assertThat(p.nhsNumber())
            .isNotEqualTo(generator.family(i - 1).members().get(0).nhsNumber());
      }
    }
    assertThat(strangers).isGreaterThan(3);
    long doubleBarrelled =
        IntStream.range(0, 600)
            .mapToObj(generator::family)
            .filter(f -> f.members().get(0).familyName().contains("-"))
            .count();
    assertThat(doubleBarrelled).isGreaterThan(10);
  }

  @Test
  void aTransposedNhsNumberFailsTheCheckDigitAtEveryPosition() {
    String valid = "9434765919";
    for (int start = 0; start < 9; start++) {
      String transposed = RowErrors.transposition(valid, start);
      assertThat(transposed).isNotNull().isNotEqualTo(valid);
      assertThat(Identifiers.normalise(IdentifierKind.NHS_NUMBER, transposed)).isNull();
    }
    String transposed = RowErrors.transposition(valid, 0);
    assertThat(transposed.chars().sorted().toArray()).isEqualTo(valid.chars().sorted().toArray());
  }

  private ExtractWriter.Summary write(PopulationGenerator generator, String name) {
    return new ExtractWriter(PartnerContracts.classpath(), Imperfections.realistic())
        .write(
            generator,
            400,
            dir.resolve(name).resolve("extracts"),
            dir.resolve(name + ".csv"),
            n -> {});
  }
}
