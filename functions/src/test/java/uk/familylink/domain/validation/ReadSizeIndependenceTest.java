package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.validation.Extracts.PNC;
import static uk.familylink.domain.validation.Extracts.POLICE_HEADER;
import static uk.familylink.domain.validation.Extracts.concat;
import static uk.familylink.domain.validation.Extracts.lines;
import static uk.familylink.domain.validation.Extracts.policeRow;
import static uk.familylink.domain.validation.Extracts.utf8;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One decision per file: the same bytes give the same report and the same rows whatever sizes the
 * stream's reads return (S3 streams return anything from one byte to a full buffer per read).
 */
class ReadSizeIndependenceTest {

  private static final String POLICE = "police-incidents";

  /** At most {@code chunk} bytes per read, like a network stream. */
  static InputStream chunked(byte[] bytes, int chunk) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  static Stream<Arguments> files() {
    List<Arguments> files = new ArrayList<>();
    for (int len : new int[] {57_000, 58_500, 60_000, 62_000, 63_500, 65_000, 65_536, 70_000}) {
      // one long cell between the row limit (256) and the file limit (64 K characters)
      files.add(
          Arguments.of(
              "cell of " + len,
              utf8(
                  lines(
                      POLICE_HEADER,
                      policeRow("R1"),
                      police("R2", "A".repeat(len)),
                      policeRow("R3")))));
      files.add(
          Arguments.of(
              "quoted multi-line cell of " + len,
              utf8(
                  lines(
                      POLICE_HEADER,
                      policeRow("R1"),
                      police("R2", "\"" + "A\n".repeat(len / 2) + "\""),
                      policeRow("R3")))));
    }
    files.add(
        Arguments.of(
            "bad byte then a NUL",
            concat(
                utf8(lines(POLICE_HEADER, policeRow("R1")) + "R2,"),
                new byte[] {(byte) 0xE9, 'x', 0, 'y'},
                utf8("\n" + lines(policeRow("R3"))))));
    files.add(
        Arguments.of(
            "NUL then a bad byte",
            concat(
                utf8(lines(POLICE_HEADER, policeRow("R1")) + "R2,"),
                new byte[] {'x', 0, (byte) 0xE9, 'y'},
                utf8("\n" + lines(policeRow("R3"))))));
    files.add(
        Arguments.of(
            "truncated sequence then a NUL",
            concat(
                utf8(lines(POLICE_HEADER, policeRow("R1")) + "R2,"), new byte[] {(byte) 0xC3, 0})));
    StringBuilder big = new StringBuilder(POLICE_HEADER).append('\n');
    for (int i = 0; i < 400; i++) {
      big.append(policeRow("R" + i)).append('\n');
    }
    files.add(Arguments.of("over the size limit", utf8(big.toString())));
    files.add(
        Arguments.of(
            "too many fields", utf8(lines(POLICE_HEADER, policeRow("R1") + ",".repeat(5000)))));
    return files.stream();
  }

  private static String police(String ref, String given) {
    return Extracts.police(
        ref, PNC, given, "Smith", "2011-04-05", "HR1 2AB", "2025-05-01", "OFFENCE", "VICTIM");
  }

  private static final ValidationPolicy POLICY =
      new ValidationPolicy(40_000, 10_000, 256, 1.0, 1000);

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void theReportAndRowsDoNotDependOnReadSizes(String name, byte[] bytes) {
    ValidationPolicy policy = name.startsWith("over") ? POLICY : Extracts.LENIENT;
    ExtractValidator validator =
        new ExtractValidator(Extracts.contract(POLICE), policy, Extracts.CLOCK);
    List<Long> wholeRows = new ArrayList<>();
    String whole =
        validator
            .validate(new ByteArrayInputStream(bytes), r -> wholeRows.add(r.rowNumber()))
            .toJson();

    for (int chunk : new int[] {1, 1460, 64 * 1024}) {
      List<Long> rows = new ArrayList<>();
      String report =
          validator.validate(chunked(bytes, chunk), r -> rows.add(r.rowNumber())).toJson();
      assertThat(report).as("%s in %d-byte reads", name, chunk).isEqualTo(whole);
      assertThat(rows).as("%s in %d-byte reads", name, chunk).isEqualTo(wholeRows);
    }
  }
}
