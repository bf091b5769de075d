package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.validation.Extracts.DOB;
import static uk.familylink.domain.validation.Extracts.NHS;
import static uk.familylink.domain.validation.Extracts.PNC;
import static uk.familylink.domain.validation.Extracts.POLICE_HEADER;
import static uk.familylink.domain.validation.Extracts.POSTCODE;
import static uk.familylink.domain.validation.Extracts.lines;
import static uk.familylink.domain.validation.Extracts.police;
import static uk.familylink.domain.validation.Extracts.policeRow;
import static uk.familylink.domain.validation.Extracts.run;
import static uk.familylink.domain.validation.Extracts.runLenient;

import org.junit.jupiter.api.Test;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.validation.Extracts.Result;
import uk.familylink.domain.validation.ValidationReport.RowIssue;
import uk.familylink.domain.validation.ValidationReport.Status;

/** Issue 9 item 1 and issue 13 item 4: one bad cell does not lose the row; duplicates in a file. */
class RowSurvivalTest {

  private static final String POLICE = "police-incidents";
  private static final String HEALTH_HEADER =
      "record_ref,nhs_number,given_name,family_name,date_of_birth,postcode,service,contact_date,expectant_parent";

  private static String health(String ref, String nhs, String given) {
    return String.join(",", ref, nhs, given, "Smith", DOB, POSTCODE, "GP", "2025-05-01", "N");
  }

  @Test
  void anInvalidRequiredNhsNumberIsLeftOutAndTheRowIsLinkedOnNamesAndDateOfBirth() {
    // a transposed NHS number (check digit fails) in a contract where the column is required
    Result r =
        run(
            "health",
            lines(HEALTH_HEADER, health("H1", "9434765991", "Amy"), health("H2", NHS, "Ben")));

    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED_WITH_ERRORS);
    assertThat(r.report().rowsInvalid()).isZero();
    assertThat(r.report().rowsValid()).isEqualTo(2);
    assertThat(r.report().rowsKeptWithIssues()).isEqualTo(1);
    assertThat(r.report().rowIssues())
        .containsExactly(new RowIssue(1, "nhs_number", ReasonCode.INVALID_NHS_NUMBER, true));
    assertThat(r.rows().get(0).identifiers())
        .doesNotContainKey(IdentifierKind.NHS_NUMBER)
        .containsKeys(
            IdentifierKind.GIVEN_NAME, IdentifierKind.FAMILY_NAME, IdentifierKind.DATE_OF_BIRTH);
    assertThat(r.rows().get(1).identifiers()).containsEntry(IdentifierKind.NHS_NUMBER, NHS);
  }

  @Test
  void aRowIsLeftOutWhenNothingLinkableRemains() {
    // the PNC ID is its only identifier and it is invalid: nothing to link on
    Result r =
        runLenient(
            POLICE,
            lines(
                POLICE_HEADER,
                police("R1", "11/0000001A", "", "", "", POSTCODE, "2025-05-01", "OFFENCE", "")));

    assertThat(r.report().rowIssues())
        .containsExactly(
            new RowIssue(1, "pnc_id", ReasonCode.INVALID_PNC_ID, false),
            new RowIssue(1, null, ReasonCode.NO_LINKABLE_IDENTIFIER, false));
    assertThat(r.report().rowsInvalid()).isEqualTo(1);
    assertThat(r.rows()).isEmpty();
  }

  @Test
  void aBadRequiredNonIdentifierCellLeavesTheRowOutEvenWithGoodIdentifiers() {
    Result r =
        runLenient(
            POLICE,
            lines(
                POLICE_HEADER,
                police("R1", PNC, "Amy", "Smith", DOB, POSTCODE, "2025-02-30", "OFFENCE", "")));

    assertThat(r.report().rowIssues())
        .containsExactly(new RowIssue(1, "incident_date", ReasonCode.INVALID_DATE, false));
    assertThat(r.rows()).isEmpty();
  }

  @Test
  void theSummaryAndJsonSayWhichRowsWereKeptWithAValueLeftOut() {
    Result r =
        runLenient(
            POLICE,
            lines(
                POLICE_HEADER,
                policeRow("R1").replace(POSTCODE, "HR1 ZZZ"),
                policeRow("R2").replace("DOMESTIC_ABUSE", "ARSON")));

    assertThat(r.report().toSummaryText())
        .contains("1 row was loaded without one or more bad values")
        .contains("row 1, column postcode: INVALID_POSTCODE - value left out, row loaded")
        .contains("row 2, column incident_type: INVALID_CODE - row left out");
    assertThat(r.report().toJson()).contains("\"keptWithValuesLeftOut\" : 1");
  }

  @Test
  void aDuplicateRecordRefIsLeftOutNamingTheRowThatWon() {
    Result r =
        runLenient(
            POLICE,
            lines(
                POLICE_HEADER,
                policeRow("R1"),
                policeRow("R2"),
                // another person under the same reference (normalised: " r1 " is R1)
                police(" r1 ", "", "Ben", "Jones", "2012-01-01", "", "2025-05-01", "OFFENCE", "")));

    assertThat(r.report().rowIssues())
        .containsExactly(new RowIssue(3, "record_ref", ReasonCode.DUPLICATE_RECORD_REF, false, 1L));
    assertThat(r.report().count(ReasonCode.DUPLICATE_RECORD_REF)).isEqualTo(1);
    assertThat(r.report().rowsInvalid()).isEqualTo(1);
    // the later row is never handed on, so it cannot be linked
    assertThat(r.rows()).extracting(ValidatedRow::rowNumber).containsExactly(1L, 2L);
    assertThat(r.report().toSummaryText())
        .contains("row 3, column record_ref: DUPLICATE_RECORD_REF (as row 1) - row left out");
  }

  @Test
  void aReferenceIsClaimedOnlyByALoadedRow() {
    Result r =
        runLenient(
            POLICE,
            lines(
                POLICE_HEADER,
                policeRow("R1").replace("DOMESTIC_ABUSE", "ARSON"), // left out: R1 stays free
                policeRow("R1"),
                policeRow("R1")));

    assertThat(r.report().rowIssues())
        .containsExactly(
            new RowIssue(1, "incident_type", ReasonCode.INVALID_CODE, false),
            new RowIssue(3, "record_ref", ReasonCode.DUPLICATE_RECORD_REF, false, 2L));
    assertThat(r.rows()).extracting(ValidatedRow::rowNumber).containsExactly(2L);
  }

  @Test
  void manyDistinctReferencesAreNotDuplicates() {
    StringBuilder s = new StringBuilder(POLICE_HEADER).append('\n');
    for (int i = 0; i < 20_000; i++) {
      s.append(policeRow("R" + i)).append('\n');
    }
    Result r = run(POLICE, s.toString());

    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED);
    assertThat(r.rows()).hasSize(20_000);
  }
}
