package uk.familylink.domain.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryCandidateIndex;
import uk.familylink.fakes.InMemoryFileLedger;
import uk.familylink.fakes.InMemoryLinkStoreWithIndex;
import uk.familylink.fakes.InMemoryLinkedData;
import uk.familylink.fakes.InMemoryObjectStore;
import uk.familylink.fakes.InMemorySubjectData;

/**
 * Issue 9 item 6, one identity resolution: a subject access request finds the person ingest would
 * place a row carrying the same identifiers with. Each case asks first, then ingests one row with
 * exactly the request's identifiers, then asks again: the second answer must be the first plus that
 * row (the row went where the request was answered from), never a different person's records.
 */
class SubjectAccessFindsWhatIngestLinksTest {

  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final String BUCKET = "landing";
  private static final String OLIVER_NHS = SubjectAccessTest.validNhs(943_476_500L);
  private static final String AMELIA_NHS = SubjectAccessTest.validNhs(943_476_600L);
  private static final String STRANGER_NHS = SubjectAccessTest.validNhs(943_476_700L);
  private static final String HEALTH =
      "record_ref,nhs_number,given_name,family_name,date_of_birth,postcode,address_line,service,"
          + "contact_date,expectant_parent\n";
  private static final String POLICE =
      "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,address_line,incident_date,"
          + "incident_type,person_role\n";

  private final InMemoryObjectStore objects = new InMemoryObjectStore();
  private final InMemoryLinkedData linked = new InMemoryLinkedData();
  private final InMemoryCandidateIndex index = new InMemoryCandidateIndex();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final WorkingKeys keys = WorkingKeys.forIngest(new LocalKeyring(new byte[32]));
  private final RetentionPolicy retention = new RetentionPolicy(LocalDate.of(2026, 3, 31), 6);
  private final AtomicLong ids = new AtomicLong();
  private final IngestService ingest =
      new IngestService(
          ContractRegistry.fromClasspath(),
          objects,
          new InMemoryLinkStoreWithIndex(linked, index),
          new InMemoryFileLedger(),
          audit,
          keys,
          IngestSettings.defaults(retention),
          Clock.fixed(NOW, ZoneOffset.UTC),
          () -> new PersonId(String.format("P%04d", ids.incrementAndGet())));
  private final SubjectAccess access =
      new SubjectAccess(
          new InMemorySubjectData(linked, index),
          audit,
          keys,
          EligibilityRule.supportingFamilies2022(),
          Clock.fixed(NOW, ZoneOffset.UTC),
          retention::expiresAtEpochSecond);
  private int files;

  /**
   * Oliver Smith (health, then police under a nickname, joined by tier 3), his sister Amelia at the
   * same address, and a stranger of the same name and birth date in Leeds.
   */
  private void population() {
    ingest(
        "health",
        HEALTH
            + row("H-1", OLIVER_NHS, "Oliver", "Smith", "2012-03-07", "HR1 2AB", "12 High Street")
            + ",GP,2026-01-05,N\n"
            + row("H-2", AMELIA_NHS, "Amelia", "Smith", "2014-09-12", "HR1 2AB", "12 High Street")
            + ",GP,2026-01-06,N\n"
            + row("H-3", STRANGER_NHS, "Oliver", "Smith", "2012-03-07", "LS1 4AP", "3 Park Row")
            + ",GP,2026-01-07,N\n");
    ingest(
        "police",
        POLICE
            + row("PI-1", "", "Ollie", "Smith", "2012-03-07", "HR1 2AB", "12 High Street")
            + ",2026-01-08,OFFENCE,SUSPECT\n");
  }

  private static String row(
      String ref,
      String strong,
      String given,
      String family,
      String dob,
      String postcode,
      String address) {
    return String.join(",", ref, strong, given, family, dob, postcode, address);
  }

  private void ingest(String dataset, String csv) {
    String partner = dataset.equals("health") ? "health" : "police";
    String folder = dataset.equals("health") ? "health" : "police-incidents";
    String key = "incoming/" + partner + "/" + folder + "/f" + ++files + ".csv";
    String eTag = objects.putText(BUCKET, key, csv);
    IngestService.IngestResult result =
        ingest.ingest(new IngestService.UploadedObject(BUCKET, key, csv.length(), eTag, null));
    assertThat(result.outcome()).as(key).isEqualTo(IngestService.Outcome.ACCEPTED);
  }

  /** Ingests one row carrying exactly the request's identifiers (health when it has an NHS no.). */
  private void ingestRowLike(Map<IdentifierKind, String> request) {
    String[] values = {
      request.getOrDefault(IdentifierKind.GIVEN_NAME, ""),
      request.getOrDefault(IdentifierKind.FAMILY_NAME, ""),
      request.getOrDefault(IdentifierKind.DATE_OF_BIRTH, ""),
      request.getOrDefault(IdentifierKind.POSTCODE, ""),
      request.getOrDefault(IdentifierKind.ADDRESS_LINE, "")
    };
    String nhs = request.get(IdentifierKind.NHS_NUMBER);
    if (nhs != null) {
      ingest(
          "health",
          HEALTH
              + row("H-9", nhs, values[0], values[1], values[2], values[3], values[4])
              + ",GP,2026-02-01,N\n");
    } else {
      ingest(
          "police",
          POLICE
              + row("PI-9", "", values[0], values[1], values[2], values[3], values[4])
              + ",2026-02-01,OFFENCE,VICTIM\n");
    }
  }

  private SubjectAccessAnswer ask(Map<IdentifierKind, String> identifiers) {
    return access.answer(new SubjectAccessRequest(identifiers, "Data Protection Officer", "DPO-1"));
  }

  private static Map<IdentifierKind, String> names(
      String given, String family, String dob, String postcode, String address) {
    Map<IdentifierKind, String> m = new EnumMap<>(IdentifierKind.class);
    m.put(IdentifierKind.GIVEN_NAME, given);
    m.put(IdentifierKind.FAMILY_NAME, family);
    m.put(IdentifierKind.DATE_OF_BIRTH, dob);
    if (postcode != null) {
      m.put(IdentifierKind.POSTCODE, postcode);
    }
    if (address != null) {
      m.put(IdentifierKind.ADDRESS_LINE, address);
    }
    return m;
  }

  private static Map<IdentifierKind, String> with(
      Map<IdentifierKind, String> m, IdentifierKind kind, String value) {
    Map<IdentifierKind, String> out = new EnumMap<>(m);
    out.put(kind, value);
    return out;
  }

  static Stream<Arguments> requests() {
    return Stream.of(
        // found (Oliver: H-1 and PI-1)
        Arguments.of(
            "a typo no record has",
            names("Olivr", "Smith", "2012-03-07", "HR1 2AB", "12 High Street"),
            2,
            "PROBABILISTIC"),
        Arguments.of(
            "day and month swapped",
            names("Oliver", "Smith", "2012-07-03", "HR1 2AB", "12 High Street"),
            2,
            "PROBABILISTIC"),
        Arguments.of(
            "exact names, birth date and postcode",
            names("Oliver", "Smith", "2012-03-07", "HR1 2AB", null),
            2,
            "NAME_AND_BIRTH_DATE"),
        Arguments.of(
            "his NHS number alone", Map.of(IdentifierKind.NHS_NUMBER, OLIVER_NHS), 2, "IDENTIFIER"),
        Arguments.of(
            "his NHS number with his names",
            with(
                names("Oliver", "Smith", "2012-03-07", "HR1 2AB", null),
                IdentifierKind.NHS_NUMBER,
                OLIVER_NHS),
            2,
            "IDENTIFIER"),
        // not found: ingest would not link such a row to anyone either
        Arguments.of(
            "his twin brother (same family name, birth date and address)",
            names("Harry", "Smith", "2012-03-07", "HR1 2AB", "12 High Street"),
            0,
            null),
        Arguments.of(
            "his NHS number with someone else's names and birth date (an identifier conflict)",
            with(
                names("Margaret", "Jones", "1970-05-01", "HR1 2AB", null),
                IdentifierKind.NHS_NUMBER,
                OLIVER_NHS),
            0,
            null),
        Arguments.of(
            "the same name and birth date in a third town, nothing else agreeing",
            names("Oliver", "Smith", "2012-03-07", "BS1 4DJ", "7 Quay Street"),
            0,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void theAnswerIsWhereIngestPutsARowWithTheSameIdentifiers(
      String description, Map<IdentifierKind, String> request, int recordsBefore, String basis) {
    population();
    SubjectAccessAnswer before = ask(request);
    assertThat(before.records()).as("records found before").hasSize(recordsBefore);
    if (basis == null) {
      assertThat(before.match()).isNull();
    } else {
      assertThat(before.match().basis()).isEqualTo(basis);
    }

    ingestRowLike(request);
    SubjectAccessAnswer after = ask(request);

    assertThat(after.records())
        .as("the row joined the person the request was answered from")
        .hasSize(recordsBefore + 1)
        .containsAll(before.records());
  }

  @Test
  void aRelativesNhsNumberDoesNotAnswerWithTheRelativesRecords() {
    population();
    // Amelia's own details, but her brother's NHS number (a wrong-but-valid identifier)
    SubjectAccessAnswer answer =
        ask(
            with(
                names("Amelia", "Smith", "2014-09-12", "HR1 2AB", null),
                IdentifierKind.NHS_NUMBER,
                OLIVER_NHS));

    // Ingest would not link that row to Oliver (his profile contradicts it) but to Amelia by her
    // exact name, birth date and postcode; so does the answer.
    assertThat(answer.match().basis()).isEqualTo("NAME_AND_BIRTH_DATE");
    assertThat(answer.records())
        .singleElement()
        .satisfies(r -> assertThat(r.eventDate()).isEqualTo(LocalDate.of(2026, 1, 6)));
  }

  @Test
  void aProbabilisticAnswerSaysSoWithItsWeightAndNoValue() {
    population();
    SubjectAccessAnswer answer =
        ask(names("Olivr", "Smith", "2012-03-07", "HR1 2AB", "12 High Street"));

    SubjectAccessAnswer.MatchView match = answer.match();
    assertThat(match.basis()).isEqualTo("PROBABILISTIC");
    assertThat(match.weight()).isPositive();
    assertThat(match.fields()).contains("GIVEN_NAME=").contains("DATE_OF_BIRTH=EXACT");
    assertThat(match.modelVersion()).isNotBlank();
    String shown = answer.toMap().get("matchedBy").toString() + answer.toText();
    assertThat(shown)
        .contains("probabilistically", "check before sending")
        .doesNotContainIgnoringCase("olivr")
        .doesNotContainIgnoringCase("smith")
        .doesNotContain("HR1", "2012-03-07", "High Street");
  }

  @Test
  void anAnswerThatFindsNobodyHasTheSameShape() {
    population();
    SubjectAccessAnswer nobody = ask(names("Zara", "Quinn", "1999-01-01", "HR1 2AB", null));
    SubjectAccessAnswer somebody = ask(Map.of(IdentifierKind.NHS_NUMBER, OLIVER_NHS));

    assertThat(nobody.match()).isNull();
    assertThat(nobody.toMap()).containsEntry("matchedBy", null);
    assertThat(nobody.toMap().keySet()).isEqualTo(somebody.toMap().keySet());
  }

  @Test
  void withoutTheCandidateIndexOnlyTheDeterministicTiersAnswer() {
    population();
    SubjectAccess deterministic =
        new SubjectAccess(
            new InMemorySubjectData(linked),
            audit,
            keys,
            EligibilityRule.supportingFamilies2022(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            retention::expiresAtEpochSecond);
    SubjectAccessRequest typo =
        new SubjectAccessRequest(
            names("Olivr", "Smith", "2012-03-07", "HR1 2AB", "12 High Street"), "DPO", "DPO-2");

    assertThat(deterministic.answer(typo).records()).isEmpty();
    assertThat(access.answer(typo).records()).hasSize(2);
  }

  @Test
  void aHouseholdBridgeIsExplainedAsOneAndNotAsARowThatLinkedToBoth() {
    SubjectAccessAnswer.MergeView merge =
        new SubjectAccessAnswer.MergeView(
            NOW,
            "PROBABILISTIC",
            null,
            "file-4",
            null,
            new SubjectAccessAnswer.BridgeView(
                19.0, 14.5, 14.5, "GIVEN_NAME=EXACT;POSTCODE=DIFFERENT", "fs-v1.1-prior", true));
    SubjectAccessAnswer answer =
        new SubjectAccessAnswer(
            NOW,
            java.util.List.of(
                new SubjectAccessAnswer.RecordView(
                    "health", "health", null, java.util.Set.of(), null, false, Map.of(), "f-1")),
            java.util.List.of(),
            java.util.List.of(),
            java.util.List.of("f-1"),
            java.util.List.of(merge),
            java.util.List.of(),
            SubjectAccessAnswer.MatchView.identifier(1));

    assertThat(answer.toText())
        .contains("another member of a household that moved (weight 19.00)")
        .contains("weight 14.50; GIVEN_NAME=EXACT;POSTCODE=DIFFERENT")
        .doesNotContain("scored a probabilistic link to both");
    assertThat(answer.toMap().get("merges").toString()).contains("corroboration=HOUSEHOLD");
  }
}
