package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import uk.familylink.adapter.aws.DynamoDbAuditReader;
import uk.familylink.domain.access.AuditTrail;
import uk.familylink.domain.access.SubjectAccess;
import uk.familylink.domain.access.SubjectAccessAnswer;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.identifier.CheckDigits;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.pseudonym.Tokeniser;
import uk.familylink.handler.SubjectAccessHandler;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3Events;

/**
 * The real subject access handler, fed JSON requests, over data put in by the real ingest handler
 * against DynamoDB Local: the right records for each kind of identifier, an empty answer that looks
 * like "no data" for unknown people, clear refusals, and an audit entry that carries no identifier.
 */
class SubjectAccessHandlerIntegrationTest {

  /** The local tool's folder (keyring, logs); JUnit removes it afterwards. */
  @TempDir Path workDir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final String NHS = nhs(943_476_500L);
  private static final String CHILD_NHS = nhs(943_476_600L);
  private static final String UNKNOWN_NHS = nhs(943_477_000L);
  private static final String NINO = CheckDigits.nino(5, 654_321, 'B');
  private static final String PNC = CheckDigits.pncId(2018, 7654);
  private static final String UPN = CheckDigits.upn(884, 3001, 15, 7);
  private static final String ULN = uln(213_456_700L);
  private static final String GIVEN = "Quinnabelle";
  private static final String FAMILY = "Zorkowska";
  private static final String CHILD_GIVEN = "Tamsinette";

  private EmbeddedAws aws;
  private LocalFamilyLink familyLink;
  private SubjectAccessHandler handler;

  static String nhs(long from) {
    for (long n = from; ; n++) {
      if (CheckDigits.nhsNumber(n) != null) {
        return CheckDigits.nhsNumber(n);
      }
    }
  }

  static String uln(long from) {
    for (long n = from; ; n++) {
      if (CheckDigits.uln(n) != null) {
        return CheckDigits.uln(n);
      }
    }
  }

  @BeforeEach
  void ingestOneFamily() throws Exception {
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    familyLink = LocalFamilyLink.start(aws, workDir, clock);
    IncomingPoller poller =
        new IncomingPoller(
            aws.s3(), aws.bucket(), new S3Events(clock, aws.region().id()), familyLink.sink());
    upload(
        poller,
        "incoming/early-help/early-help/eh.csv",
        "record_ref,family_ref,nhs_number,given_name,family_name,"
            + "date_of_birth,postcode,family_role,expectant_parent,referral_date,closure_date,needs_identified\n"
            + "EH-1,FAM-9,"
            + NHS
            + ","
            + GIVEN
            + ","
            + FAMILY
            + ",1984-07-21,HR1 2AB,PARENT_CARER,N,2026-01-10,,DOMESTIC_ABUSE;HOUSING\n"
            + "EH-2,FAM-9,"
            + CHILD_NHS
            + ","
            + CHILD_GIVEN
            + ","
            + FAMILY
            + ",2016-02-29,HR1 2AB,CHILD,N,2026-01-10,,EDUCATION\n");
    upload(
        poller,
        "incoming/dwp/dwp-benefits/dwp.csv",
        "record_ref,nino,given_name,family_name,date_of_birth,postcode,"
            + "benefit,out_of_work,claim_start_date\n"
            + "DW-1,"
            + NINO
            + ","
            + GIVEN
            + ","
            + FAMILY
            + ",21/07/1984,HR1 2AB,UNIVERSAL_CREDIT,Y,2025-11-01\n");
    upload(
        poller,
        "incoming/police/police-incidents/pol.csv",
        "record_ref,pnc_id,given_name,family_name,date_of_birth,"
            + "postcode,incident_date,incident_type,person_role\n"
            + "PR-1,"
            + PNC
            + ","
            + GIVEN
            + ","
            + FAMILY
            + ",1984-07-21,HR1 2AB,2026-02-01,DOMESTIC_ABUSE,VICTIM\n");
    upload(
        poller,
        "incoming/schools/school-attendance/sch.csv",
        "record_ref,upn,uln,given_name,family_name,date_of_birth,"
            + "postcode,academic_year,term,period_end_date,sessions_possible,unauthorised_absences,exclusions\n"
            + "SA-1,"
            + UPN
            + ","
            + ULN
            + ","
            + CHILD_GIVEN
            + ","
            + FAMILY
            + ",2016-02-29,HR1 2AB,2025,AUTUMN,2025-12-19,100,20,0\n");
    handler = new SubjectAccessHandler(familyLink.subjectAccess(clock));
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private void upload(IncomingPoller poller, String key, String csv) {
    aws.s3()
        .putObject(
            b -> b.bucket(aws.bucket()).key(key),
            RequestBody.fromBytes(csv.getBytes(StandardCharsets.UTF_8)));
    assertThat(poller.pollOnce()).isEqualTo(1);
  }

  private JsonNode ask(String... fieldsAndValues) throws Exception {
    ObjectNode request =
        JSON.createObjectNode()
            .put("requester", "DPO Herefordshire")
            .put("purpose", "SAR-2026-014");
    ObjectNode ids = request.putObject("identifiers");
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      ids.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
    }
    return invoke(JSON.writeValueAsString(request));
  }

  private JsonNode invoke(String body) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), out, null);
    return JSON.readTree(out.toByteArray());
  }

  private static List<String> datasets(JsonNode response) {
    List<String> names = new ArrayList<>();
    response.path("answer").path("recordsByDataset").fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void eachKindOfIdentifierReturnsThatPersonsRecords() throws Exception {
    List<String> adult = List.of("dwp-benefits", "early-help", "police-incidents");
    assertThat(datasets(ask("nhsNumber", NHS))).isEqualTo(adult);
    assertThat(datasets(ask("nino", NINO.toLowerCase(Locale.ROOT)))).isEqualTo(adult);
    assertThat(datasets(ask("pncId", PNC))).isEqualTo(adult);
    assertThat(
            datasets(
                ask(
                    "givenName",
                    GIVEN,
                    "familyName",
                    FAMILY,
                    "dateOfBirth",
                    "1984-07-21",
                    "postcode",
                    "hr1 2ab")))
        .isEqualTo(adult);
    assertThat(datasets(ask("upn", UPN))).containsExactly("early-help", "school-attendance");
    assertThat(datasets(ask("uln", ULN))).containsExactly("early-help", "school-attendance");
    assertThat(
            datasets(
                ask("givenName", CHILD_GIVEN, "familyName", FAMILY, "dateOfBirth", "29/02/2016")))
        .containsExactly("early-help", "school-attendance");
  }

  @Test
  void aPersonMergedIntoTheOneFoundIsReturnedThroughTheMergeIndex() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    IncomingPoller poller =
        new IncomingPoller(
            aws.s3(), aws.bucket(), new S3Events(clock, aws.region().id()), familyLink.sink());
    String header =
        "record_ref,upn,uln,given_name,family_name,date_of_birth,postcode,academic_year,term,period_end_date,"
            + "sessions_possible,unauthorised_absences,exclusions\n";
    String firstUpn = CheckDigits.upn(884, 3002, 14, 9);
    String secondUpn = CheckDigits.upn(885, 3003, 14, 10);
    String uln = uln(313_456_700L);
    // Two pupils as far as two schools knew, then a row joining the second UPN to the first pupil's
    // ULN: a merge.
    upload(
        poller,
        "incoming/schools/school-attendance/a.csv",
        header
            + "SA-10,"
            + firstUpn
            + ","
            + uln
            + ",Morwenna,Pellow,2014-03-03,HR2 7AB,2025,AUTUMN,2025-12-19,100,1,0\n");
    upload(
        poller,
        "incoming/schools/school-attendance/b.csv",
        header
            + "SA-11,"
            + secondUpn
            + ",,Wenna,Pellowe,2014-03-04,HR3 7AB,2025,AUTUMN,2025-12-19,100,2,0\n");
    upload(
        poller,
        "incoming/schools/school-attendance/c.csv",
        header
            + "SA-12,"
            + secondUpn
            + ","
            + uln
            + ",Wenna,Pellowe,2014-03-04,HR3 7AB,2025,SPRING,2026-03-27,100,3,0\n");

    // Whichever pupil survived, one of the two UPNs names only the survivor: the other person's
    // records can then be found only through the merge item indexed under the survivor.
    for (String upn : List.of(firstUpn, secondUpn)) {
      JsonNode answer = ask("upn", upn).path("answer");
      assertThat(answer.path("recordsByDataset").path("school-attendance").size())
          .as("all three rows of the merged pupil")
          .isEqualTo(3);
    }
  }

  @Test
  void theAnswerHoldsDatesIndicatorsFilesMembershipsAndTheFamilyProfile() throws Exception {
    JsonNode response = ask("nhsNumber", NHS);

    assertThat(response.path("status").asText()).isEqualTo("ANSWERED");
    JsonNode answer = response.path("answer");
    assertThat(answer.path("recordCount").asInt()).isEqualTo(3);
    JsonNode police = answer.path("recordsByDataset").path("police-incidents").get(0);
    assertThat(police.path("eventDate").asText()).isEqualTo("2026-02-01");
    assertThat(police.path("indicators").get(0).asText()).isEqualTo("DOMESTIC_ABUSE");
    assertThat(police.path("attributes").path("person_role").asText()).isEqualTo("VICTIM");
    assertThat(answer.path("contributingFiles")).hasSize(3);
    assertThat(answer.path("familyMemberships").get(0).path("role").asText())
        .isEqualTo("PARENT_CARER");
    JsonNode family = answer.path("familyProfiles").get(0);
    assertThat(family.path("members").asInt()).isEqualTo(2);
    assertThat(family.path("eligible").asBoolean()).isTrue();
    assertThat(family.path("needs").path("EDUCATION").get(0).asText()).isEqualTo("early-help");
    assertThat(response.path("report").asText())
        .contains("Secure housing")
        .contains("police-incidents");
  }

  @Test
  void anUnknownPersonGetsTheEmptyAnswerWhateverIsNearby() throws Exception {
    JsonNode empty =
        JSON.valueToTree(Map.of("answer", SubjectAccessAnswer.empty(NOW).toMap())).path("answer");

    assertThat(ask("nhsNumber", UNKNOWN_NHS).path("answer")).isEqualTo(empty);
    assertThat(
            ask("givenName", GIVEN, "familyName", FAMILY, "dateOfBirth", "1984-07-22")
                .path("answer"))
        .isEqualTo(empty);
    assertThat(
            ask(
                    "givenName",
                    GIVEN,
                    "familyName",
                    FAMILY,
                    "dateOfBirth",
                    "1984-07-21",
                    "postcode",
                    "HR9 9ZZ")
                .path("answer"))
        .as(
            "the same names and birth date in another district, nothing else agreeing: ingest keeps"
                + " such a row apart (it may be a stranger), so the answer is empty too")
        .isEqualTo(empty);
  }

  @Test
  void aRequestIsMatchedByTheIngestsRulesAndSaysHow() throws Exception {
    JsonNode typo =
        ask("givenName", GIVEN, "familyName", "Zorkowski", "dateOfBirth", "1984-07-21")
            .path("answer");
    assertThat(typo.path("recordCount").asInt())
        .as("a typo in the family name: tier 3 links such a row, so the request finds her")
        .isEqualTo(3);
    assertThat(typo.path("matchedBy").path("basis").asText()).isEqualTo("PROBABILISTIC");
    assertThat(typo.path("matchedBy").path("weight").asDouble()).isPositive();
    assertThat(typo.toString()).doesNotContainIgnoringCase("zorkowsk");

    JsonNode exact =
        ask(
                "givenName",
                GIVEN,
                "familyName",
                FAMILY,
                "dateOfBirth",
                "1984-07-21",
                "postcode",
                "HR1 2AB")
            .path("answer");
    assertThat(exact.path("recordCount").asInt()).isEqualTo(3);
    assertThat(exact.path("matchedBy").path("basis").asText()).isEqualTo("NAME_AND_BIRTH_DATE");

    JsonNode byNhs = ask("nhsNumber", NHS).path("answer");
    assertThat(byNhs.path("matchedBy").path("basis").asText()).isEqualTo("IDENTIFIER");
  }

  @Test
  void malformedRequestsAreRefusedClearlyWithoutEchoingValues() throws Exception {
    String badNhs = NHS.substring(0, 9) + ((NHS.charAt(9) - '0' + 1) % 10);
    JsonNode refused = ask("nhsNumber", badNhs);
    assertThat(refused.path("status").asText()).isEqualTo("REFUSED");
    assertThat(refused.path("error").path("field").asText()).isEqualTo("nhsNumber");
    assertThat(refused.path("error").path("message").asText()).contains("not a valid NHS number");
    assertThat(refused.toString()).doesNotContain(badNhs);

    JsonNode unknownField =
        invoke(
            "{\"requester\":\"DPO\",\"purpose\":\"SAR\",\"identifiers\":{\""
                + badNhs
                + "\":\"x\"}}");
    assertThat(unknownField.path("error").path("reason").asText()).isEqualTo("UNKNOWN_FIELD");
    assertThat(unknownField.toString()).doesNotContain(badNhs);

    JsonNode notJson = invoke("{\"identifiers\": {\"nhsNumber\": \"" + badNhs + "\"");
    assertThat(notJson.path("status").asText()).isEqualTo("REFUSED");
    assertThat(notJson.toString()).doesNotContain(badNhs);

    JsonNode noPurpose =
        invoke("{\"requester\":\"DPO\",\"identifiers\":{\"nhsNumber\":\"" + NHS + "\"}}");
    assertThat(noPurpose.path("error").path("reason").asText()).isEqualTo("MISSING_PURPOSE");
    assertThat(noPurpose.path("error").path("message").asText()).contains("purpose is required");
  }

  @Test
  void everyAccessIsAuditedAndNoIdentifierOrTokenReachesTheAuditOrTheLogs() throws Exception {
    List<String> lines;
    try (LogCapture logs = LogCapture.attach()) {
      ask("nhsNumber", NHS, "nino", NINO, "pncId", PNC);
      ask(
          "upn",
          UPN,
          "uln",
          ULN,
          "givenName",
          CHILD_GIVEN,
          "familyName",
          FAMILY,
          "dateOfBirth",
          "2016-02-29");
      ask("nhsNumber", UNKNOWN_NHS);
      ask("nhsNumber", NHS.substring(0, 9) + ((NHS.charAt(9) - '0' + 1) % 10));
      lines = logs.lines();
    }

    List<AuditEntry> accesses =
        new AuditTrail(new DynamoDbAuditReader(aws.dynamoDb(), LocalFamilyLink.AUDIT_TABLE))
            .list(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 1), SubjectAccess.AUDIT_KIND);
    assertThat(accesses).hasSize(3);
    assertThat(accesses)
        .allSatisfy(
            e ->
                assertThat(e.details())
                    .containsEntry("requester", "DPO Herefordshire")
                    .containsEntry("purpose", "SAR-2026-014")
                    .containsKey("recordsReturned"));
    assertThat(accesses)
        .extracting(e -> e.details().get("recordsReturned"))
        .containsExactlyInAnyOrder(3L, 2L, 0L);

    Tokeniser t = familyLink.keys().newTokeniser();
    List<String> canaries =
        new ArrayList<>(
            List.of(
                NHS,
                NINO,
                PNC,
                UPN,
                ULN,
                UNKNOWN_NHS,
                GIVEN,
                FAMILY,
                CHILD_GIVEN,
                GIVEN.toUpperCase(Locale.ROOT),
                FAMILY.toUpperCase(Locale.ROOT),
                CHILD_GIVEN.toUpperCase(Locale.ROOT),
                t.token(IdentifierKind.NHS_NUMBER, NHS),
                t.token(IdentifierKind.NINO, NINO),
                t.token(IdentifierKind.PNC_ID, PNC),
                t.token(IdentifierKind.UPN, UPN),
                t.token(IdentifierKind.ULN, ULN),
                t.token(IdentifierKind.NHS_NUMBER, UNKNOWN_NHS),
                t.token(
                    LinkKeyKind.NAME_DOB.name(),
                    CHILD_GIVEN.toUpperCase(Locale.ROOT)
                        + "|"
                        + FAMILY.toUpperCase(Locale.ROOT)
                        + "|2016-02-29")));
    StringBuilder auditTable = new StringBuilder();
    aws.dynamoDb()
        .scanPaginator(b -> b.tableName(LocalFamilyLink.AUDIT_TABLE))
        .items()
        .forEach(i -> auditTable.append(i));
    String logText = String.join("\n", lines);
    assertThat(logText).contains("access.answered");
    for (String canary : canaries) {
      assertThat(auditTable.toString()).as("audit table").doesNotContain(canary);
      assertThat(logText).as("logs").doesNotContain(canary);
    }
  }
}
