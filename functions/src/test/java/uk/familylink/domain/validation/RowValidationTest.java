package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.validation.Extracts.DOB;
import static uk.familylink.domain.validation.Extracts.NHS;
import static uk.familylink.domain.validation.Extracts.NINO;
import static uk.familylink.domain.validation.Extracts.PNC;
import static uk.familylink.domain.validation.Extracts.POLICE_HEADER;
import static uk.familylink.domain.validation.Extracts.POSTCODE;
import static uk.familylink.domain.validation.Extracts.TODAY;
import static uk.familylink.domain.validation.Extracts.TOMORROW;
import static uk.familylink.domain.validation.Extracts.ULN;
import static uk.familylink.domain.validation.Extracts.UPN;
import static uk.familylink.domain.validation.Extracts.lines;
import static uk.familylink.domain.validation.Extracts.police;
import static uk.familylink.domain.validation.Extracts.policeRow;
import static uk.familylink.domain.validation.Extracts.run;
import static uk.familylink.domain.validation.Extracts.utf8;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.familylink.domain.contract.ContractLimits;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.validation.Extracts.Result;
import uk.familylink.domain.validation.ValidationReport.RowIssue;
import uk.familylink.domain.validation.ValidationReport.Status;

class RowValidationTest {

  private static final String POLICE = "police-incidents";
  private static final String EARLY_HELP_HEADER =
      "record_ref,family_ref,nhs_number,given_name,family_name,"
          + "date_of_birth,postcode,family_role,expectant_parent,referral_date,closure_date,needs_identified";
  private static final String SCHOOL_HEADER =
      "record_ref,upn,uln,given_name,family_name,date_of_birth,postcode,"
          + "academic_year,term,period_end_date,sessions_possible,unauthorised_absences,exclusions";

  private static List<RowIssue> issues(Result r) {
    return r.report().rowIssues();
  }

  @Test
  void aValidRowCarriesNormalisedIdentifiersIndicatorsEventDateAndKeptCodes() {
    Result r =
        run(
            POLICE,
            lines(
                POLICE_HEADER,
                police(
                    " R1 ",
                    PNC,
                    "Amy",
                    "Smith",
                    "05/04/2011",
                    "hr1 2ab",
                    "01/05/2025",
                    "domestic_abuse",
                    "Victim")));

    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED);
    ValidatedRow row = r.rows().get(0);
    assertThat(row.rowNumber()).isEqualTo(1);
    assertThat(row.identifiers())
        .containsOnlyKeys(
            IdentifierKind.RECORD_REF,
            IdentifierKind.PNC_ID,
            IdentifierKind.GIVEN_NAME,
            IdentifierKind.FAMILY_NAME,
            IdentifierKind.DATE_OF_BIRTH,
            IdentifierKind.POSTCODE);
    assertThat(row.identifiers().get(IdentifierKind.DATE_OF_BIRTH)).isEqualTo("2011-04-05");
    assertThat(row.indicators()).containsExactly(Need.DOMESTIC_ABUSE);
    assertThat(row.eventDate()).isEqualTo(LocalDate.of(2025, 5, 1));
    assertThat(row.attributes())
        .containsOnly(
            org.assertj.core.api.Assertions.entry("incident_type", "DOMESTIC_ABUSE"),
            org.assertj.core.api.Assertions.entry("person_role", "VICTIM"));
    assertThat(row.familyRole()).isNull();
    assertThat(row.expectantParent()).isFalse();
  }

  @Test
  void earlyHelpRowsGiveRoleExpectancyClosureDateAndOneNeedPerListedCode() {
    Result r =
        run(
            "early-help",
            lines(
                EARLY_HELP_HEADER,
                String.join(
                    ",",
                    "EH-1",
                    "FAM-9",
                    NHS,
                    "Amy",
                    "Smith",
                    "1990-02-03",
                    POSTCODE,
                    "parent_carer",
                    "y",
                    "2025-01-10",
                    "2025-04-30",
                    "housing; crime ;EDUCATION"),
                String.join(
                    ",",
                    "EH-2",
                    "FAM-9",
                    "",
                    "Ben",
                    "Smith",
                    DOB,
                    POSTCODE,
                    "CHILD",
                    "",
                    "2025-01-10",
                    "",
                    "")));

    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED);
    ValidatedRow parent = r.rows().get(0);
    assertThat(parent.familyRole()).isEqualTo("PARENT_CARER");
    assertThat(parent.expectantParent()).isTrue();
    assertThat(parent.indicators())
        .containsExactlyInAnyOrder(Need.HOUSING, Need.CRIME, Need.EDUCATION);
    assertThat(parent.attributes())
        .containsEntry("closure_date", "2025-04-30")
        .containsEntry("needs_identified", "EDUCATION;CRIME;HOUSING");
    ValidatedRow child = r.rows().get(1);
    assertThat(child.indicators()).isEmpty();
    assertThat(child.identifiers()).doesNotContainKey(IdentifierKind.NHS_NUMBER);
    assertThat(child.attributes()).isEmpty();
    assertThat(child.expectantParent()).isFalse();
  }

  @Test
  void schoolAttendanceEvidencesEducationFromTheAbsenceRatioOrAnExclusion() {
    Result r =
        run(
            "school-attendance",
            lines(
                SCHOOL_HEADER,
                school("S1", "100", "10", "0"), // 10% unauthorised: persistent absence
                school("S2", "100", "9", "0"), // 9%: no need
                school("S3", "100", "0", "2"), // excluded
                school("S4", "0", "0", ""))); // no sessions: no division by zero

    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED);
    assertThat(r.rows())
        .extracting(ValidatedRow::indicators)
        .containsExactly(
            java.util.Set.of(Need.EDUCATION),
            java.util.Set.of(),
            java.util.Set.of(Need.EDUCATION),
            java.util.Set.of());
    assertThat(r.rows().get(0).attributes())
        .containsEntry("academic_year", "2024")
        .containsEntry("term", "SUMMER");
  }

  private static String school(
      String ref, String possible, String unauthorised, String exclusions) {
    return String.join(
        ",",
        ref,
        UPN,
        ULN,
        "Amy",
        "Smith",
        DOB,
        POSTCODE,
        "2024",
        "summer",
        "2025-05-23",
        possible,
        unauthorised,
        exclusions);
  }

  @Test
  void futureDatesAreRejectedButTodayIsFine() {
    Result r =
        run(
            POLICE,
            lines(
                POLICE_HEADER,
                police("R1", PNC, "Amy", "Smith", DOB, POSTCODE, TOMORROW, "OFFENCE", "VICTIM"),
                police(
                    "R2",
                    PNC,
                    "Amy",
                    "Smith",
                    TOMORROW,
                    POSTCODE,
                    "2025-05-01",
                    "OFFENCE",
                    "VICTIM"),
                police("R3", PNC, "Amy", "Smith", TODAY, POSTCODE, TODAY, "OFFENCE", "VICTIM")));

    assertThat(issues(r))
        .containsExactly(
            new RowIssue(1, "incident_date", ReasonCode.FUTURE_DATE),
            new RowIssue(2, "date_of_birth", ReasonCode.FUTURE_DATE, true));
    // a bad date of birth is left out; the row is linked on its PNC ID
    assertThat(r.rows()).extracting(ValidatedRow::rowNumber).containsExactly(2L, 3L);
    assertThat(r.rows().get(0).identifiers()).doesNotContainKey(IdentifierKind.DATE_OF_BIRTH);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2023-02-29",
        "2024-02-30",
        "31/04/2020",
        "2023-13-01",
        "00/01/2020",
        "yesterday",
        "2023/01/01"
      })
  void impossibleOrUnreadableDatesAreInvalid(String date) {
    Result r =
        run(
            POLICE,
            lines(
                POLICE_HEADER,
                police("R1", PNC, "Amy", "Smith", DOB, POSTCODE, date, "OFFENCE", "VICTIM"),
                police(
                    "R2", PNC, "Amy", "Smith", date, POSTCODE, "2025-05-01", "OFFENCE", "VICTIM")));

    assertThat(issues(r))
        .containsExactly(
            new RowIssue(1, "incident_date", ReasonCode.INVALID_DATE),
            new RowIssue(2, "date_of_birth", ReasonCode.INVALID_DATE, true));
  }

  @Test
  void eachIdentifierKindHasItsOwnInvalidReason() {
    Result police =
        run(
            POLICE,
            lines(
                POLICE_HEADER,
                police(
                    "R1",
                    "11/0000001A",
                    "Amy",
                    "Smith",
                    DOB,
                    POSTCODE,
                    "2025-05-01",
                    "OFFENCE",
                    "VICTIM"),
                police(
                    "R2", PNC, "Amy", "Smith", DOB, "HR1 ZZZ", "2025-05-01", "OFFENCE", "VICTIM")));
    assertThat(issues(police))
        .containsExactly(
            new RowIssue(1, "pnc_id", ReasonCode.INVALID_PNC_ID, true),
            new RowIssue(2, "postcode", ReasonCode.INVALID_POSTCODE, true));

    Result health =
        run(
            "health",
            lines(
                "record_ref,nhs_number,given_name,family_name,date_of_birth,postcode,service,contact_date,expectant_parent",
                "H1,9434765910,Amy,Smith," + DOB + "," + POSTCODE + ",GP,2025-05-01,N"));
    assertThat(issues(health))
        .contains(new RowIssue(1, "nhs_number", ReasonCode.INVALID_NHS_NUMBER, true));

    Result dwp =
        run(
            "dwp-benefits",
            lines(
                "record_ref,nino,given_name,family_name,date_of_birth,postcode,benefit,out_of_work,claim_start_date",
                "D1,QQ123456C,Amy,Smith," + DOB + "," + POSTCODE + ",UNIVERSAL_CREDIT,Y,2025-05-01",
                "D2,"
                    + NINO
                    + ",Amy,Smith,"
                    + DOB
                    + ","
                    + POSTCODE
                    + ",UNIVERSAL_CREDIT,Y,2025-05-01"));
    assertThat(issues(dwp)).containsExactly(new RowIssue(1, "nino", ReasonCode.INVALID_NINO, true));
    assertThat(dwp.rows().get(0).indicators()).containsExactly(Need.FINANCIAL_STABILITY);

    Result school =
        run(
            "school-attendance",
            lines(
                SCHOOL_HEADER,
                String.join(
                    ",",
                    "S1",
                    "A801200005001",
                    ULN,
                    "Amy",
                    "Smith",
                    DOB,
                    POSTCODE,
                    "2024",
                    "SUMMER",
                    "2025-05-23",
                    "100",
                    "0",
                    "0"),
                String.join(
                    ",",
                    "S2",
                    UPN,
                    "1234567890",
                    "Amy",
                    "Smith",
                    DOB,
                    POSTCODE,
                    "2024",
                    "SUMMER",
                    "2025-05-23",
                    "100",
                    "0",
                    "0")));
    assertThat(issues(school))
        .containsExactly(
            new RowIssue(1, "upn", ReasonCode.INVALID_UPN, true),
            new RowIssue(2, "uln", ReasonCode.INVALID_ULN, true));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "=HYPERLINK(\"\"http://x\"\")",
        "+44",
        "-Smith",
        "@SUM(A1)",
        "\tSmith",
        " =cmd|' /C calc'!A0",
        "\u00A0\u00A0+1",
        "\u3000@x",
        " \tSmith"
      })
  void formulaLikeNamesAndCodesAreRefused(String value) {
    String quoted = "\"" + value + "\"";
    Result r =
        run(
            POLICE,
            lines(
                POLICE_HEADER,
                police(
                    "R1", PNC, quoted, "Smith", DOB, POSTCODE, "2025-05-01", "OFFENCE", "VICTIM"),
                police("R2", PNC, "Amy", "Smith", DOB, POSTCODE, "2025-05-01", quoted, "VICTIM")));

    assertThat(issues(r))
        .containsExactly(
            new RowIssue(1, "given_name", ReasonCode.FORMULA_LIKE_VALUE, true),
            new RowIssue(2, "incident_type", ReasonCode.FORMULA_LIKE_VALUE));
  }

  @Test
  void aNegativeIntegerIsNotAFormulaButIsOutOfRangeHere() {
    Result r =
        run(
            "school-attendance",
            lines(
                SCHOOL_HEADER,
                school("S1", "100", "0", "-1"),
                school("S2", "100", "x", "0"),
                school("S3", "501", "0", "0")));

    assertThat(issues(r))
        .containsExactly(
            new RowIssue(1, "exclusions", ReasonCode.INVALID_INTEGER, true),
            new RowIssue(2, "unauthorised_absences", ReasonCode.INVALID_INTEGER),
            new RowIssue(3, "sessions_possible", ReasonCode.INVALID_INTEGER));
  }

  @Test
  void requiredValuesCodesBooleansAndFieldCountsAreChecked() {
    Result r =
        run(
            "early-help",
            lines(
                EARLY_HELP_HEADER,
                String.join(
                    ",",
                    "EH-1",
                    "FAM-1",
                    "",
                    "Amy",
                    "Smith",
                    DOB,
                    POSTCODE,
                    "  ",
                    "N",
                    "2025-01-10",
                    "",
                    ""),
                String.join(
                    ",",
                    "EH-2",
                    "FAM-1",
                    "",
                    "Amy",
                    "Smith",
                    DOB,
                    POSTCODE,
                    "AUNT",
                    "N",
                    "2025-01-10",
                    "",
                    ""),
                String.join(
                    ",",
                    "EH-3",
                    "FAM-1",
                    "",
                    "Amy",
                    "Smith",
                    DOB,
                    POSTCODE,
                    "CHILD",
                    "maybe",
                    "2025-01-10",
                    "",
                    ""),
                String.join(
                    ",",
                    "EH-4",
                    "FAM-1",
                    "",
                    "Amy",
                    "Smith",
                    DOB,
                    POSTCODE,
                    "CHILD",
                    "N",
                    "2025-01-10",
                    "",
                    "HOUSING;GOLF"),
                String.join(
                    ",",
                    "EH-5",
                    "FAM-1",
                    "",
                    "Amy",
                    "Smith",
                    DOB,
                    POSTCODE,
                    "CHILD",
                    "N",
                    "2025-01-10",
                    ""),
                String.join(
                    ",",
                    "EH-6",
                    "FAM-1",
                    "",
                    "Amy",
                    "Smith",
                    DOB,
                    POSTCODE,
                    "CHILD",
                    "N",
                    "2025-01-10",
                    "",
                    "",
                    "")));

    assertThat(issues(r))
        .containsExactly(
            new RowIssue(1, "family_role", ReasonCode.REQUIRED_MISSING),
            new RowIssue(2, "family_role", ReasonCode.INVALID_CODE),
            new RowIssue(3, "expectant_parent", ReasonCode.INVALID_BOOLEAN, true),
            new RowIssue(4, "needs_identified", ReasonCode.INVALID_CODE, true),
            new RowIssue(5, null, ReasonCode.WRONG_FIELD_COUNT),
            new RowIssue(6, null, ReasonCode.WRONG_FIELD_COUNT));
    // bad optional cells are left out; a bad required code or a misaligned row leaves the row out
    assertThat(r.report().rowsInvalid()).isEqualTo(4);
    assertThat(r.report().rowsKeptWithIssues()).isEqualTo(2);
    assertThat(r.rows()).extracting(ValidatedRow::rowNumber).containsExactly(3L, 4L);
    assertThat(r.rows().get(0).expectantParent()).isFalse();
    assertThat(r.rows().get(1).indicators()).isEmpty();
  }

  @Test
  void aRowWithoutAStrongIdentifierNeedsNamesAndDateOfBirth() {
    Result r =
        run(
            POLICE,
            lines(
                POLICE_HEADER,
                police("R1", "", "Amy", "Smith", DOB, "", "2025-05-01", "OFFENCE", ""),
                police("R2", "", "Amy", "", DOB, POSTCODE, "2025-05-01", "OFFENCE", ""),
                police("R3", PNC, "", "", "", "", "2025-05-01", "OFFENCE", "")));

    assertThat(issues(r)).containsExactly(new RowIssue(2, null, ReasonCode.NO_LINKABLE_IDENTIFIER));
    assertThat(r.rows()).extracting(ValidatedRow::rowNumber).containsExactly(1L, 3L);
  }

  @Test
  void everyProblemOfARowIsListed() {
    Result r =
        run(
            POLICE,
            lines(
                POLICE_HEADER,
                police(
                    "",
                    "11/0000001A",
                    "Amy",
                    "",
                    "2099-01-01",
                    "nowhere",
                    "2025-02-30",
                    "X",
                    "Y")));

    assertThat(issues(r))
        .containsExactly(
            new RowIssue(1, "record_ref", ReasonCode.REQUIRED_MISSING),
            new RowIssue(1, "pnc_id", ReasonCode.INVALID_PNC_ID),
            new RowIssue(1, "date_of_birth", ReasonCode.FUTURE_DATE),
            new RowIssue(1, "postcode", ReasonCode.INVALID_POSTCODE),
            new RowIssue(1, "incident_date", ReasonCode.INVALID_DATE),
            new RowIssue(1, "incident_type", ReasonCode.INVALID_CODE),
            new RowIssue(1, "person_role", ReasonCode.INVALID_CODE),
            new RowIssue(1, null, ReasonCode.NO_LINKABLE_IDENTIFIER));
    assertThat(r.report().rowsInvalid()).isEqualTo(1);
  }

  @Test
  void aLongCellIsLeftOutOfItsRowOrLeavesOutARowThatNeedsIt() {
    String longValue = "A".repeat(300);
    Result r =
        Extracts.runLenient(
            POLICE,
            lines(
                POLICE_HEADER,
                police(
                    "R1",
                    PNC,
                    longValue,
                    "Smith",
                    DOB,
                    POSTCODE,
                    "2025-05-01",
                    "OFFENCE",
                    "VICTIM"),
                policeRow("R2"),
                police("R3", PNC, "Amy", "Smith", DOB, POSTCODE, "2025-05-01", longValue, "")));

    assertThat(issues(r))
        .containsExactly(
            new RowIssue(1, "given_name", ReasonCode.FIELD_TOO_LONG, true),
            new RowIssue(3, "incident_type", ReasonCode.FIELD_TOO_LONG));
    assertThat(r.report().fileIssues()).isEmpty();
    assertThat(r.rows()).extracting(ValidatedRow::rowNumber).containsExactly(1L, 2L);
  }

  @Test
  void rowNumbersCountDataRowsAndSkipBlankLines() {
    Result r =
        run(
            POLICE,
            POLICE_HEADER
                + "\n\n"
                + policeRow("R1")
                + "\n\n\n"
                + policeRow("R2").replace("DOMESTIC_ABUSE", "ARSON")
                + "\n"
                + policeRow("R3")
                + "\n");

    assertThat(issues(r))
        .containsExactly(new RowIssue(2, "incident_type", ReasonCode.INVALID_CODE));
    assertThat(r.rows()).extracting(ValidatedRow::rowNumber).containsExactly(1L, 3L);
  }

  @Test
  void theInvalidShareDecidesBetweenAcceptingWithErrorsAndRejecting() {
    List<String> rows = new ArrayList<>(List.of(POLICE_HEADER));
    for (int i = 1; i <= 20; i++) {
      rows.add(policeRow("R" + i));
    }
    rows.set(5, policeRow("R5").replace("DOMESTIC_ABUSE", "ARSON"));
    // rows kept with a value left out do not count towards the share
    rows.set(7, policeRow("R7").replace(PNC, "11/0000001A"));
    rows.set(8, policeRow("R8").replace("VICTIM", "BYSTANDER"));
    Result oneInTwenty = run(POLICE, lines(rows.toArray(String[]::new)));

    assertThat(oneInTwenty.report().status()).isEqualTo(Status.ACCEPTED_WITH_ERRORS);
    assertThat(oneInTwenty.report().rowsValid()).isEqualTo(19);
    assertThat(oneInTwenty.report().rowsKeptWithIssues()).isEqualTo(2);
    assertThat(oneInTwenty.rows()).hasSize(19);

    rows.set(6, policeRow("R6").replace("DOMESTIC_ABUSE", "ARSON"));
    Result twoInTwenty = run(POLICE, lines(rows.toArray(String[]::new)));

    assertThat(twoInTwenty.report().status()).isEqualTo(Status.REJECTED);
    assertThat(twoInTwenty.report().fileIssues())
        .extracting(ValidationReport.FileIssue::reason)
        .containsExactly(ReasonCode.TOO_MANY_INVALID_ROWS);
    assertThat(twoInTwenty.report().rowsInvalid()).isEqualTo(2);
    assertThat(twoInTwenty.report().maxInvalidShare()).isEqualTo(0.05);
  }

  @Test
  void aContractsLimitsOverrideThePolicy() {
    ValidationPolicy strict =
        ValidationPolicy.DEFAULTS.overriddenBy(new ContractLimits(null, 5L, 10, 0.5));

    assertThat(strict.maxRows()).isEqualTo(5);
    assertThat(strict.maxFieldLength()).isEqualTo(10);
    assertThat(strict.maxInvalidShare()).isEqualTo(0.5);
    assertThat(strict.maxBytes()).isEqualTo(ValidationPolicy.DEFAULTS.maxBytes());
    assertThat(strict.maxListedIssues()).isEqualTo(ValidationPolicy.DEFAULTS.maxListedIssues());
  }

  @Test
  void listedIssuesAreCappedButCountsStayExact() {
    List<String> rows = new ArrayList<>(List.of(POLICE_HEADER));
    for (int i = 1; i <= 30; i++) {
      rows.add(policeRow("R" + i).replace("VICTIM", "BYSTANDER"));
    }
    ValidationPolicy fewListed = new ValidationPolicy(1 << 20, 1000, 256, 1.0, 5);

    Result r = run(POLICE, utf8(lines(rows.toArray(String[]::new))), fewListed);

    assertThat(r.report().rowIssues()).hasSize(5);
    assertThat(r.report().truncated()).isTrue();
    assertThat(r.report().count(ReasonCode.INVALID_CODE)).isEqualTo(30);
    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED_WITH_ERRORS);
  }
}
