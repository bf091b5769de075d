package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.validation.Extracts.POLICE_HEADER;
import static uk.familylink.domain.validation.Extracts.concat;
import static uk.familylink.domain.validation.Extracts.run;
import static uk.familylink.domain.validation.Extracts.utf8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.familylink.domain.validation.Extracts.Result;

/**
 * P1: whatever is wrong with a file, nothing from its cells reaches the report. Every cell of each
 * malformed file holds a unique canary; neither the JSON, the summary nor toString may hold one.
 */
class CanaryLeakTest {

  private static final String PREFIX = "Qzx";

  /** Builds rows whose cells are all canaries; returns the canaries used. */
  private static List<String> canaries(int rows, int columns, StringBuilder csv, String separator) {
    List<String> used = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        String canary = PREFIX + r + "k" + c + "v";
        used.add(canary);
        csv.append(c == 0 ? "" : separator).append(canary);
      }
      csv.append('\n');
    }
    return used;
  }

  static Stream<Arguments> malformedFiles() {
    List<Arguments> cases = new ArrayList<>();

    StringBuilder noHeader = new StringBuilder();
    cases.add(
        Arguments.of(
            "first line is data",
            List.copyOf(canaries(4, 9, noHeader, ",")),
            utf8(noHeader.toString())));

    StringBuilder extraColumns = new StringBuilder(POLICE_HEADER + ",Qzxhead1v,Qzxhead2v\n");
    List<String> used = new ArrayList<>(List.of("Qzxhead1v", "Qzxhead2v"));
    used.addAll(canaries(3, 11, extraColumns, ","));
    cases.add(Arguments.of("unexpected header columns", used, utf8(extraColumns.toString())));

    StringBuilder badRows = new StringBuilder(POLICE_HEADER + "\n");
    cases.add(
        Arguments.of(
            "every cell invalid",
            List.copyOf(canaries(6, 9, badRows, ",")),
            utf8(badRows.toString())));

    StringBuilder wrongCounts = new StringBuilder(POLICE_HEADER + "\n");
    cases.add(
        Arguments.of(
            "wrong field counts",
            List.copyOf(canaries(3, 7, wrongCounts, ",")),
            utf8(wrongCounts.toString())));

    StringBuilder formulas = new StringBuilder(POLICE_HEADER + "\n");
    List<String> f = canaries(3, 9, formulas, ",=");
    cases.add(Arguments.of("formula-like cells", List.copyOf(f), utf8(formulas.toString())));

    StringBuilder unclosed = new StringBuilder(POLICE_HEADER + "\n");
    List<String> u = new ArrayList<>(canaries(2, 9, unclosed, ","));
    unclosed.append("\"Qzxopen1v,Qzxopen2v\n");
    u.add("Qzxopen1v");
    u.add("Qzxopen2v");
    cases.add(Arguments.of("unterminated quote", u, utf8(unclosed.toString())));

    StringBuilder afterQuote = new StringBuilder(POLICE_HEADER + "\n");
    List<String> a = new ArrayList<>(canaries(2, 9, afterQuote, ","));
    afterQuote.append("\"Qzxq1v\"Qzxq2v,Qzxq3v\n");
    a.addAll(List.of("Qzxq1v", "Qzxq2v", "Qzxq3v"));
    cases.add(Arguments.of("text after closing quote", a, utf8(afterQuote.toString())));

    StringBuilder latin = new StringBuilder(POLICE_HEADER + "\n");
    List<String> l = new ArrayList<>(canaries(2, 9, latin, ","));
    byte[] latinBytes =
        concat(
            utf8(latin.toString()),
            "Qzxlatin\u00e9v,Qzxl2v\n".getBytes(StandardCharsets.ISO_8859_1));
    l.addAll(List.of("Qzxlatin", "Qzxl2v"));
    cases.add(Arguments.of("latin-1 bytes", l, latinBytes));

    StringBuilder tooLong = new StringBuilder(POLICE_HEADER + "\n");
    List<String> t = new ArrayList<>(canaries(2, 9, tooLong, ","));
    tooLong.append("Qzxlong").append("w".repeat(300_000)).append('\n');
    t.add("Qzxlong");
    cases.add(Arguments.of("huge field", t, utf8(tooLong.toString())));

    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFiles")
  void noCanaryReachesTheReport(String name, List<String> canaries, byte[] file) {
    Result r = run("police-incidents", file);

    String json = r.report().toJson();
    String summary = r.report().toSummaryText();
    String text = r.report().toString();
    assertThat(r.report().rowsValid()).as("nothing in these files is valid").isZero();
    assertThat(json).doesNotContain(PREFIX);
    assertThat(summary).doesNotContain(PREFIX);
    assertThat(text).doesNotContain(PREFIX);
    for (String canary : canaries) {
      assertThat(json + summary + text).doesNotContain(canary);
    }
  }
}
