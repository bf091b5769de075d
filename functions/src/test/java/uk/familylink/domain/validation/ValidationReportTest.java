package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.validation.Extracts.POLICE_HEADER;
import static uk.familylink.domain.validation.Extracts.lines;
import static uk.familylink.domain.validation.Extracts.policeRow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.validation.Extracts.Result;
import uk.familylink.domain.validation.ValidationReport.Status;

class ValidationReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRejectionWithoutContentNamesOnlyTheReason() throws Exception {
    ValidationReport report = ValidationReport.rejected(null, ReasonCode.UNKNOWN_DATASET);

    JsonNode json = JSON.readTree(report.toJson());
    assertThat(json.get("status").asText()).isEqualTo("REJECTED");
    assertThat(json.get("dataset").isNull()).isTrue();
    assertThat(json.get("fileIssues").get(0).get("reason").asText()).isEqualTo("UNKNOWN_DATASET");
    assertThat(json.get("counts").get("UNKNOWN_DATASET").asLong()).isEqualTo(1);
    assertThat(report.toSummaryText()).contains("REJECTED").contains("not name a known dataset");
  }

  @Test
  void theJsonCarriesCountsIssuesAndTheHash() throws Exception {
    Result r =
        Extracts.runLenient(
            "police-incidents",
            lines(
                POLICE_HEADER,
                policeRow("R1"),
                policeRow("R2").replace("DOMESTIC_ABUSE", "ARSON"),
                policeRow("R3").replace("VICTIM", "BYSTANDER")));

    JsonNode json = JSON.readTree(r.report().toJson());

    assertThat(json.get("dataset").asText()).isEqualTo("police-incidents");
    assertThat(json.get("contractVersion").asInt()).isEqualTo(1);
    assertThat(json.get("status").asText()).isEqualTo("ACCEPTED_WITH_ERRORS");
    assertThat(json.get("rows").get("total").asLong()).isEqualTo(3);
    assertThat(json.get("rows").get("valid").asLong()).isEqualTo(2);
    assertThat(json.get("rows").get("invalid").asLong()).isEqualTo(1);
    assertThat(json.get("rows").get("keptWithValuesLeftOut").asLong()).isEqualTo(1);
    assertThat(json.get("bytesReadToEnd").asBoolean()).isTrue();
    assertThat(json.get("sha256").asText()).hasSize(64).isEqualTo(r.report().sha256());
    assertThat(json.get("counts").get("INVALID_CODE").asLong()).isEqualTo(2);
    JsonNode issue = json.get("rowIssues").get(0);
    assertThat(issue.get("row").asLong()).isEqualTo(2);
    assertThat(issue.get("column").asText()).isEqualTo("incident_type");
    assertThat(issue.get("reason").asText()).isEqualTo("INVALID_CODE");
    assertThat(issue.get("rowKept").asBoolean()).isFalse();
    JsonNode kept = json.get("rowIssues").get(1);
    assertThat(kept.get("row").asLong()).isEqualTo(3);
    assertThat(kept.get("column").asText()).isEqualTo("person_role");
    assertThat(kept.get("rowKept").asBoolean()).isTrue();
    assertThat(json.get("truncated").asBoolean()).isFalse();
  }

  @Test
  void theSummaryTellsThePartnerWhatIsWrongAndWhatToDo() {
    Result missing =
        Extracts.run("police-incidents", lines(POLICE_HEADER.replace(",postcode", ""), "x"));

    String summary = missing.report().toSummaryText();

    assertThat(summary)
        .contains(
            "REJECTED",
            "upload the whole file again",
            "no column \"postcode\"",
            "record_ref, pnc_id, given_name");
  }

  @Test
  void theSummaryOfAnAcceptedFileWithErrorsListsRowsAndAdvice() {
    Result r =
        Extracts.runLenient(
            "police-incidents",
            lines(
                POLICE_HEADER,
                policeRow("R1"),
                policeRow("R2").replace(Extracts.PNC, "11/0000001A")));

    String summary = r.report().toSummaryText();

    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED_WITH_ERRORS);
    assertThat(summary)
        .contains(
            "ACCEPTED WITH ERRORS",
            "1 row was loaded",
            "row 2, column pnc_id: INVALID_PNC_ID",
            "INVALID_PNC_ID x1",
            "check letter");
  }

  @Test
  void theReportIsImmutable() {
    ValidationReport report =
        new ValidationReport(
            "d",
            1,
            Status.ACCEPTED,
            0,
            true,
            null,
            0,
            0,
            0,
            0,
            Map.of(),
            List.of(),
            List.of(),
            false,
            List.of(),
            null);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> report.counts().put(ReasonCode.EMPTY_FILE, 1L))
        .isInstanceOf(UnsupportedOperationException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> report.rowIssues().add(null))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
