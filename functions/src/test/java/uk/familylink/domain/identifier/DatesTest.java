package uk.familylink.domain.identifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DatesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2010-03-04     | 2010-03-04",
        "04/03/2010     | 2010-03-04",
        "4/3/2010       | 2010-03-04",
        "04/3/2010      | 2010-03-04",
        "4/03/2010      | 2010-03-04",
        "' 2010-03-04 ' | 2010-03-04",
        "29/02/2020     | 2020-02-29",
        "29/02/2000     | 2000-02-29",
        "1900-01-01     | 1900-01-01",
        "31/12/2100     | 2100-12-31",
        "31/01/2021     | 2021-01-31",
        "30/04/2021     | 2021-04-30",
      })
  void parsesIsoAndUkForms(String raw, String expected) {
    assertThat(Dates.parse(raw)).isEqualTo(LocalDate.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "31/02/2020",
        "30/02/2020",
        "29/02/2019",
        "29/02/1900",
        "31/04/2021",
        "00/01/2010",
        "01/00/2010",
        "32/01/2010",
        "01/13/2010",
        "2010-13-01",
        "2010-00-10",
        "2010-01-00",
        "2010-01-32"
      })
  void rejectsImpossibleDates(String raw) {
    assertThat(Dates.parse(raw)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1899-12-31",
        "31/12/1899",
        "2101-01-01",
        "01/01/2101",
        "0001-01-01",
        "9999-12-31"
      })
  void rejectsYearsOutside1900To2100(String raw) {
    assertThat(Dates.parse(raw)).isNull();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "2010-3-4",
        "04/03/10",
        "2010/03/04",
        "04-03-2010",
        "123/1/2010",
        "1/123/2010",
        "2010-03-04T00:00",
        "+2010-03-04",
        "20100304",
        "04.03.2010",
        "4/3/ 2010",
        "//2010",
        "1//2010",
        "２０１０-03-04",
        "2010-03-0a",
        "04/03/20100",
        "   ",
        "2010-03-04 x",
        "0x/03/2010"
      })
  void rejectsOtherFormats(String raw) {
    assertThat(Dates.parse(raw)).isNull();
  }

  @Test
  void agreesWithStrictJavaTimeOnEveryDayAndImpossibleDayOfSomeYears() {
    DateTimeFormatter uk =
        DateTimeFormatter.ofPattern("dd/MM/uuuu").withResolverStyle(ResolverStyle.STRICT);
    for (int year : new int[] {1900, 1904, 1999, 2000, 2023, 2024, 2100}) {
      for (int month = 1; month <= 12; month++) {
        for (int day = 1; day <= 31; day++) {
          String text = String.format("%02d/%02d/%04d", day, month, year);
          LocalDate expected;
          try {
            expected = LocalDate.parse(text, uk);
          } catch (java.time.format.DateTimeParseException impossible) {
            expected = null;
          }
          assertThat(Dates.parse(text)).as("UK form").isEqualTo(expected);
          assertThat(Dates.parse(String.format("%04d-%02d-%02d", year, month, day)))
              .as("ISO form")
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void isoTextIsTheIsoFormOfTheParsedDateForEveryInput() {
    java.util.Random random = new java.util.Random(7);
    String alphabet = "0123456789/- 9";
    for (int round = 0; round < 200_000; round++) {
      String raw;
      if (round % 3 == 0) {
        LocalDate d = LocalDate.ofEpochDay(random.nextInt(200 * 366) - 70 * 366);
        raw =
            round % 2 == 0
                ? d.toString()
                : d.getDayOfMonth() + "/" + d.getMonthValue() + "/" + d.getYear();
      } else {
        StringBuilder b = new StringBuilder();
        for (int k = random.nextInt(12); k > 0; k--) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        raw = b.toString();
      }
      LocalDate parsed = Dates.parse(raw);
      assertThat(Dates.isoText(raw)).as(raw).isEqualTo(parsed == null ? null : parsed.toString());
      assertThat(Dates.iso(parsed)).as(raw).isEqualTo(parsed == null ? null : parsed.toString());
    }
    assertThat(Dates.iso(LocalDate.of(12345, 1, 2))).isEqualTo("+12345-01-02");
  }
}
