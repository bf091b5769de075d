package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.validation.Extracts.DOB;
import static uk.familylink.domain.validation.Extracts.PNC;
import static uk.familylink.domain.validation.Extracts.POLICE_HEADER;
import static uk.familylink.domain.validation.Extracts.POSTCODE;
import static uk.familylink.domain.validation.Extracts.concat;
import static uk.familylink.domain.validation.Extracts.lines;
import static uk.familylink.domain.validation.Extracts.police;
import static uk.familylink.domain.validation.Extracts.policeRow;
import static uk.familylink.domain.validation.Extracts.runLenient;
import static uk.familylink.domain.validation.Extracts.utf8;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.validation.Extracts.Result;
import uk.familylink.domain.validation.ValidationReport.RowIssue;
import uk.familylink.domain.validation.ValidationReport.Status;

/** Issue 13 item 8: blank cells, placeholders, invisible characters, honest byte counts. */
class CellHygieneTest {

  private static final String POLICE = "police-incidents";

  private static Result givenName(String given) {
    return runLenient(
        POLICE,
        lines(
            POLICE_HEADER,
            police("R1", PNC, given, "Smith", DOB, POSTCODE, "2025-05-01", "OFFENCE", "VICTIM")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\t", "\u00A0", "\u2007", "\u202F", "\u3000", " \t\u00A0 ", "\u2003"})
  void whitespaceOnlyCellsAreBlank(String blank) {
    Result optional = givenName(blank);

    assertThat(optional.report().rowIssues()).isEmpty();
    assertThat(optional.rows().get(0).identifiers()).doesNotContainKey(IdentifierKind.GIVEN_NAME);

    Result required =
        runLenient(
            POLICE,
            lines(
                POLICE_HEADER,
                police("R1", PNC, "Amy", "Smith", DOB, POSTCODE, "2025-05-01", blank, "VICTIM")));
    assertThat(required.report().rowIssues())
        .containsExactly(new RowIssue(1, "incident_type", ReasonCode.REQUIRED_MISSING));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "NULL",
        "null",
        "N/A",
        "n/a",
        "#N/A",
        "UNKNOWN",
        "Not Known",
        "NONE",
        "TBC",
        "?",
        "XXX"
      })
  void placeholderNamesAreReportedAndLeftOut(String placeholder) {
    Result r = givenName(placeholder);

    assertThat(r.report().rowIssues())
        .containsExactly(new RowIssue(1, "given_name", ReasonCode.PLACEHOLDER_VALUE, true));
    assertThat(r.rows().get(0).identifiers()).doesNotContainKey(IdentifierKind.GIVEN_NAME);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Na", "Nan", "Nil", "Blank", "Tbaa", "Xu", "Unknownson"})
  void realNamesThatLookLikePlaceholdersAreKept(String name) {
    Result r = givenName(name);

    assertThat(r.report().rowIssues()).isEmpty();
    assertThat(r.rows().get(0).identifiers()).containsKey(IdentifierKind.GIVEN_NAME);
  }

  @Test
  void aPlaceholderRecordRefLeavesTheRowOut() {
    Result r = runLenient(POLICE, lines(POLICE_HEADER, policeRow("NULL"), policeRow("N/A")));

    assertThat(r.report().rowIssues())
        .containsExactly(
            new RowIssue(1, "record_ref", ReasonCode.PLACEHOLDER_VALUE),
            new RowIssue(2, "record_ref", ReasonCode.PLACEHOLDER_VALUE));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Am\u200By", // zero-width space
        "\u202EhtimS", // right-to-left override
        "Amy\u200D", // zero-width joiner
        "Smi\u00ADth", // soft hyphen
        "A\u2066my\u2069", // isolates
        "\uFEFFAmy", // BOM inside a cell
        "A\u007Fmy", // DEL (C0 controls early in a file already mark it binary)
        "A\u0085my", // C1 control
        "Amy\uDB40\uDC01" // a tag character (supplementary plane)
      })
  void invisibleAndControlCharactersAreReportedNotSilentlyDropped(String value) {
    Result name = givenName(value);

    assertThat(name.report().rowIssues())
        .containsExactly(new RowIssue(1, "given_name", ReasonCode.INVISIBLE_CHARACTER, true));
    assertThat(name.rows().get(0).identifiers()).doesNotContainKey(IdentifierKind.GIVEN_NAME);

    Result code =
        runLenient(
            POLICE,
            lines(
                POLICE_HEADER,
                police("R1", PNC, "Amy", "Smith", DOB, POSTCODE, "2025-05-01", value, "VICTIM")));
    assertThat(code.report().rowIssues())
        .containsExactly(new RowIssue(1, "incident_type", ReasonCode.INVISIBLE_CHARACTER));
  }

  @Test
  void accentsAndOtherScriptsAreNotInvisible() {
    assertThat(ExtractValidator.hasInvisible("Zoë Ñúñez-O'Brien 李")).isFalse();
    assertThat(ExtractValidator.hasInvisible("two\tcells\r\n")).isFalse();
  }

  @Test
  void aRejectedFilesBytesAndHashCoverTheWholeFile() throws Exception {
    StringBuilder tail = new StringBuilder();
    for (int i = 3; i < 2000; i++) {
      tail.append(policeRow("R" + i)).append('\n');
    }
    byte[] bytes =
        concat(
            utf8(lines(POLICE_HEADER, policeRow("R1")) + "R2,"),
            new byte[] {(byte) 0xE9},
            utf8("\n" + tail));

    Result r = runLenient(POLICE, bytes);

    assertThat(r.report().status()).isEqualTo(Status.REJECTED);
    assertThat(r.report().bytes()).isEqualTo(bytes.length);
    assertThat(r.report().bytesReadToEnd()).isTrue();
    assertThat(r.report().sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(r.report().toSummaryText()).contains("Bytes read: " + bytes.length + ".");
  }

  @Test
  void aFileOverTheSizeLimitSaysAtLeastHowManyBytes() {
    StringBuilder s = new StringBuilder(POLICE_HEADER).append('\n');
    for (int i = 0; i < 500; i++) {
      s.append(policeRow("R" + i)).append('\n');
    }
    ValidationPolicy small = new ValidationPolicy(10_000, 1000, 256, 1.0, 100);

    Result r = Extracts.run(POLICE, utf8(s.toString()), small);

    assertThat(r.report().bytes()).isEqualTo(10_001);
    assertThat(r.report().bytesReadToEnd()).isFalse();
    assertThat(r.report().toSummaryText())
        .contains("Bytes read: at least 10001 (reading stopped at the size limit).");
  }
}
