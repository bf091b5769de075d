package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.validation.Extracts.DOB;
import static uk.familylink.domain.validation.Extracts.POLICE_HEADER;
import static uk.familylink.domain.validation.Extracts.POSTCODE;
import static uk.familylink.domain.validation.Extracts.lines;
import static uk.familylink.domain.validation.Extracts.policeRow;
import static uk.familylink.domain.validation.Extracts.run;
import static uk.familylink.domain.validation.Extracts.runLenient;

import org.junit.jupiter.api.Test;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.validation.Extracts.Result;
import uk.familylink.domain.validation.ValidationReport.RowIssue;
import uk.familylink.domain.validation.ValidationReport.Status;

/** Issue 9 items 2 and 3: the optional address line, and rows it makes linkable (ADR 0101). */
class AddressLineRowsTest {

  private static final String POLICE = "police-incidents";
  private static final String HEADER =
      "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,address_line,"
          + "incident_date,incident_type,person_role";

  private static String row(String ref, String given, String family, String dob, String line) {
    return String.join(
        ",", ref, "", given, family, dob, POSTCODE, line, "2025-05-01", "OFFENCE", "SUSPECT");
  }

  @Test
  void theAddressLineIsNormalisedAndKeptOnlyAsAnIdentifier() {
    Result r = run(POLICE, lines(HEADER, row("P1", "Amy", "Smith", DOB, "\"12, High St.\"")));
    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED);
    assertThat(r.rows().get(0).identifiers())
        .containsEntry(IdentifierKind.ADDRESS_LINE, "12 HIGH STREET");
    assertThat(r.rows().get(0).attributes()).doesNotContainValue("12 HIGH STREET");
  }

  @Test
  void twoOfNamesAndBirthDateWithAnAddressLineAreLinkable() {
    Result r =
        runLenient(
            POLICE,
            lines(
                HEADER,
                row("P1", "Amy", "Smith", "", "12 High Street"), // no date of birth
                row("P2", "", "Smith", DOB, "12 High Street"), // no given name
                row("P3", "Amy", "Smith", "", ""), // no date of birth, no address line
                row("P4", "Amy", "", "", "12 High Street"))); // one of the three only
    assertThat(r.rows()).extracting(ValidatedRow::rowNumber).containsExactly(1L, 2L);
    assertThat(r.report().rowIssues())
        .containsExactly(
            new RowIssue(3, null, ReasonCode.NO_LINKABLE_IDENTIFIER, false),
            new RowIssue(4, null, ReasonCode.NO_LINKABLE_IDENTIFIER, false));
  }

  @Test
  void aBadAddressLineIsLeftOutAndTheRowKept() {
    Result r = run(POLICE, lines(HEADER, row("P1", "Amy", "Smith", DOB, "\"=HYPERLINK(1)\"")));
    assertThat(r.rows()).hasSize(1);
    assertThat(r.rows().get(0).identifiers()).doesNotContainKey(IdentifierKind.ADDRESS_LINE);
    assertThat(r.report().rowIssues())
        .extracting(RowIssue::column, RowIssue::rowKept)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("address_line", true));
  }

  @Test
  void anExtractWithoutTheNewOptionalColumnIsStillAccepted() {
    // mayBeAbsent: partners' extracts from before the column was added keep working
    Result r = run(POLICE, lines(POLICE_HEADER, policeRow("P1")));
    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED);
    assertThat(r.rows().get(0).identifiers()).doesNotContainKey(IdentifierKind.ADDRESS_LINE);
  }
}
