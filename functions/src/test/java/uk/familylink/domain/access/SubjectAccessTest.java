package uk.familylink.domain.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.identifier.CheckDigits;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.pseudonym.Tokeniser;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryLinkedData;
import uk.familylink.fakes.InMemoryObjectStore;
import uk.familylink.fakes.InMemorySubjectData;

/**
 * Subject access over data put in by the real ingest service (in-memory fakes), so tokens are
 * ingest's own.
 */
class SubjectAccessTest {

  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final String BUCKET = "landing";

  private static final String JANE_NHS = validNhs(943_476_500L);
  private static final String SAM_NHS = validNhs(943_476_600L);
  private static final String BOB_NHS = validNhs(943_476_700L);
  private static final String TWIN_NHS = validNhs(943_476_800L);
  private static final String OTHER_TWIN_NHS = validNhs(943_476_900L);
  private static final String UNKNOWN_NHS = validNhs(943_477_000L);
  private static final String JANE_NINO = CheckDigits.nino(3, 123_456, 'C');
  private static final String JANE_PNC = CheckDigits.pncId(2019, 4321);
  private static final String KIM_UPN = CheckDigits.upn(884, 2001, 12, 1);
  private static final String KIM_OTHER_UPN = CheckDigits.upn(884, 2001, 12, 2);
  private static final String KIM_ULN = validUln(123_456_700L);

  private final InMemoryObjectStore objects = new InMemoryObjectStore();
  private final InMemoryLinkedData linked = new InMemoryLinkedData();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final InMemorySubjectData reader = new InMemorySubjectData(linked);
  private final WorkingKeys keys = WorkingKeys.forIngest(new LocalKeyring(new byte[32]));
  private final RetentionPolicy retention = new RetentionPolicy(LocalDate.of(2026, 3, 31), 6);
  private final AtomicLong ids = new AtomicLong();
  private SubjectAccess access;

  static String validNhs(long from) {
    for (long n = from; ; n++) {
      String v = CheckDigits.nhsNumber(n);
      if (v != null) {
        return v;
      }
    }
  }

  static String validUln(long from) {
    for (long n = from; ; n++) {
      String v = CheckDigits.uln(n);
      if (v != null) {
        return v;
      }
    }
  }

  @BeforeEach
  void ingestAFamilyAndNeighbours() {
    IngestService ingest =
        new IngestService(
            ContractRegistry.fromClasspath(),
            objects,
            linked,
            new uk.familylink.fakes.InMemoryFileLedger(),
            audit,
            keys,
            IngestSettings.defaults(retention),
            Clock.fixed(NOW, ZoneOffset.UTC),
            () -> new PersonId(String.format("P%04d", ids.incrementAndGet())));
    ingest(
        "early-help",
        "early-help",
        "record_ref,family_ref,nhs_number,given_name,family_name,date_of_birth,postcode,"
            + "family_role,expectant_parent,referral_date,closure_date,needs_identified\n"
            + "EH-1,FAM-1,"
            + JANE_NHS
            + ",Jane,Doe,1985-04-12,HR1 2AB,PARENT_CARER,N,2026-01-10,,DOMESTIC_ABUSE;HOUSING\n"
            + "EH-2,FAM-1,"
            + SAM_NHS
            + ",Sam,Doe,2015-09-01,HR1 2AB,CHILD,N,2026-01-10,,EDUCATION\n"
            + "EH-3,FAM-2,"
            + BOB_NHS
            + ",Bob,Other,1970-01-01,HR9 9ZZ,PARENT_CARER,N,2026-01-11,,CRIME\n",
        ingest);
    ingest(
        "dwp",
        "dwp-benefits",
        "record_ref,nino,given_name,family_name,date_of_birth,postcode,benefit,out_of_work,claim_start_date\n"
            + "DW-1,"
            + JANE_NINO
            + ",Jane,Doe,12/04/1985,hr12ab,UNIVERSAL_CREDIT,Y,2025-11-01\n",
        ingest);
    ingest(
        "police",
        "police-incidents",
        "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role\n"
            + "PR-1,"
            + JANE_PNC
            + ",Jane,Doe,1985-04-12,HR1 2AB,2026-02-01,DOMESTIC_ABUSE,VICTIM\n",
        ingest);
    // Two people share a name, birth date and postcode: the composites become ambiguous.
    String health =
        "record_ref,nhs_number,given_name,family_name,date_of_birth,postcode,service,contact_date,expectant_parent\n";
    ingest(
        "health",
        "health",
        health
            + "H-1,"
            + TWIN_NHS
            + ",Chris,Twin,2000-01-01,HR2 9ZZ,GP,2026-01-05,N\n"
            + "H-3,"
            + OTHER_TWIN_NHS
            + ",,,,,GP,2026-01-05,N\n",
        ingest);
    ingest(
        "health",
        "health",
        health + "H-2," + OTHER_TWIN_NHS + ",Chris,Twin,2000-01-01,HR2 9ZZ,GP,2026-01-06,N\n",
        ingest);
    // Kim has two UPNs until a row with the ULN bridges them: two persons merge, the older
    // survives.
    String school =
        "record_ref,upn,uln,given_name,family_name,date_of_birth,postcode,academic_year,term,"
            + "period_end_date,sessions_possible,unauthorised_absences,exclusions\n";
    ingest(
        "schools",
        "school-attendance",
        school
            + "SA-1,"
            + KIM_UPN
            + ",,Kim,Alpha,2012-03-03,,2025,AUTUMN,2025-12-19,100,20,0\n"
            + "SA-2,"
            + KIM_OTHER_UPN
            + ","
            + KIM_ULN
            + ",Kim,Beta,2012-03-03,,2025,AUTUMN,2025-12-19,100,0,0\n",
        ingest);
    ingest(
        "schools",
        "school-attendance",
        school
            + "SA-3,"
            + KIM_UPN
            + ","
            + KIM_ULN
            + ",Kim,Alpha,2012-03-03,,2025,SPRING,2026-03-27,100,0,0\n",
        ingest);
    access =
        new SubjectAccess(
            reader,
            audit,
            keys,
            EligibilityRule.supportingFamilies2022(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            retention::expiresAtEpochSecond);
  }

  private int files;

  private void ingest(String partner, String dataset, String csv, IngestService ingest) {
    String key = "incoming/" + partner + "/" + dataset + "/f" + ++files + ".csv";
    String eTag = objects.putText(BUCKET, key, csv);
    IngestService.IngestResult result =
        ingest.ingest(new IngestService.UploadedObject(BUCKET, key, csv.length(), eTag, null));
    assertThat(result.outcome()).as(key).isEqualTo(IngestService.Outcome.ACCEPTED);
  }

  private static SubjectAccessRequest request(Object... kindsAndValues) {
    Map<IdentifierKind, String> ids = new EnumMap<>(IdentifierKind.class);
    for (int i = 0; i < kindsAndValues.length; i += 2) {
      ids.put((IdentifierKind) kindsAndValues[i], (String) kindsAndValues[i + 1]);
    }
    return new SubjectAccessRequest(ids, "Data Protection Officer", "Article 15 request DPO-7");
  }

  private List<AuditEntry> accessEntries() {
    return audit.entries().stream().filter(e -> e.kind().equals(SubjectAccess.AUDIT_KIND)).toList();
  }

  @Test
  void anNhsNumberReturnsEveryRecordOfThePersonWithDatesIndicatorsFilesAndTheFamilyProfile() {
    SubjectAccessAnswer answer = access.answer(request(IdentifierKind.NHS_NUMBER, JANE_NHS));

    assertThat(answer.recordsByDataset().keySet())
        .containsExactly("dwp-benefits", "early-help", "police-incidents");
    assertThat(answer.records()).hasSize(3);
    SubjectAccessAnswer.RecordView police =
        answer.recordsByDataset().get("police-incidents").get(0);
    assertThat(police.eventDate()).isEqualTo(LocalDate.of(2026, 2, 1));
    assertThat(police.indicators()).containsExactly(Need.DOMESTIC_ABUSE);
    assertThat(police.attributes())
        .containsEntry("incident_type", "DOMESTIC_ABUSE")
        .containsEntry("person_role", "VICTIM");
    assertThat(police.birthYearMonth()).isEqualTo("1985-04");
    assertThat(answer.records())
        .extracting(SubjectAccessAnswer.RecordView::fileId)
        .doesNotContainNull();
    assertThat(answer.files()).hasSize(3);
    assertThat(answer.memberships())
        .singleElement()
        .isEqualTo(
            new SubjectAccessAnswer.MembershipView("FAMILY_REF", "PARENT_CARER", "early-help"));
    assertThat(answer.families())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.members()).isEqualTo(2);
              assertThat(f.needs())
                  .containsOnlyKeys(
                      Need.DOMESTIC_ABUSE, Need.HOUSING, Need.FINANCIAL_STABILITY, Need.EDUCATION);
              assertThat(f.needs().get(Need.DOMESTIC_ABUSE))
                  .containsExactly("early-help", "police-incidents");
              assertThat(f.hasDependentChild()).isTrue();
              assertThat(f.eligible()).isTrue();
            });
    assertThat(answer.toText())
        .contains("police-incidents")
        .contains("Safe from domestic abuse")
        .contains("meets");
  }

  @Test
  void eachKindOfIdentifierFindsTheSamePerson() {
    SubjectAccessAnswer byNhs = access.answer(request(IdentifierKind.NHS_NUMBER, JANE_NHS));

    assertThat(
            access
                .answer(request(IdentifierKind.NINO, JANE_NINO.toLowerCase(Locale.ROOT)))
                .records())
        .isEqualTo(byNhs.records());
    assertThat(access.answer(request(IdentifierKind.PNC_ID, JANE_PNC)).records())
        .isEqualTo(byNhs.records());
    assertThat(
            access
                .answer(
                    request(
                        IdentifierKind.GIVEN_NAME,
                        "JANE",
                        IdentifierKind.FAMILY_NAME,
                        "doe",
                        IdentifierKind.DATE_OF_BIRTH,
                        "12/04/1985",
                        IdentifierKind.POSTCODE,
                        "HR1 2AB"))
                .records())
        .isEqualTo(byNhs.records());
    assertThat(access.answer(request(IdentifierKind.UPN, KIM_UPN)).recordsByDataset())
        .containsOnlyKeys("school-attendance");
  }

  @Test
  void nameAndDateOfBirthAloneFindAPersonWhoseCompositeIsUnambiguous() {
    SubjectAccessAnswer answer =
        access.answer(
            request(
                IdentifierKind.GIVEN_NAME,
                "Sam",
                IdentifierKind.FAMILY_NAME,
                "Doe",
                IdentifierKind.DATE_OF_BIRTH,
                "2015-09-01"));

    assertThat(answer.records())
        .singleElement()
        .satisfies(r -> assertThat(r.indicators()).containsExactly(Need.EDUCATION));
    assertThat(answer.families()).hasSize(1);
  }

  @Test
  void identifiersOfNobodyGiveAnAnswerIdenticalToNoData() {
    SubjectAccessAnswer unknown = access.answer(request(IdentifierKind.NHS_NUMBER, UNKNOWN_NHS));
    SubjectAccessAnswer unknownName =
        access.answer(
            request(
                IdentifierKind.GIVEN_NAME,
                "Jane",
                IdentifierKind.FAMILY_NAME,
                "Doe",
                IdentifierKind.DATE_OF_BIRTH,
                "1985-04-13")); // one day from a real person's

    assertThat(unknown.toMap()).isEqualTo(SubjectAccessAnswer.empty(NOW).toMap());
    assertThat(unknownName.toMap()).isEqualTo(SubjectAccessAnswer.empty(NOW).toMap());
    assertThat(unknown.toText()).isEqualTo(SubjectAccessAnswer.empty(NOW).toText());
  }

  @Test
  void anAmbiguousCompositeMatchesNobodyAndLooksExactlyLikeNoData() {
    SubjectAccessAnswer withPostcode =
        access.answer(
            request(
                IdentifierKind.GIVEN_NAME,
                "Chris",
                IdentifierKind.FAMILY_NAME,
                "Twin",
                IdentifierKind.DATE_OF_BIRTH,
                "2000-01-01",
                IdentifierKind.POSTCODE,
                "HR2 9ZZ"));
    SubjectAccessAnswer withoutPostcode =
        access.answer(
            request(
                IdentifierKind.GIVEN_NAME,
                "Chris",
                IdentifierKind.FAMILY_NAME,
                "Twin",
                IdentifierKind.DATE_OF_BIRTH,
                "2000-01-01"));

    assertThat(withPostcode.toMap()).isEqualTo(SubjectAccessAnswer.empty(NOW).toMap());
    assertThat(withoutPostcode.toMap()).isEqualTo(SubjectAccessAnswer.empty(NOW).toMap());
    assertThat(access.answer(request(IdentifierKind.NHS_NUMBER, TWIN_NHS)).records())
        .as("the strong identifier still finds its person")
        .hasSize(1);
  }

  @Test
  void aMergedPersonReachedThroughTheRequestIsFollowedToTheSurvivorAndBothAreReturned() {
    // KIM_OTHER_UPN names the later (merged) person; the survivor holds the first and the bridging
    // rows.
    SubjectAccessAnswer answer = access.answer(request(IdentifierKind.UPN, KIM_OTHER_UPN));

    assertThat(answer.records()).hasSize(3);
    assertThat(
            access
                .answer(request(IdentifierKind.UPN, KIM_UPN, IdentifierKind.ULN, KIM_ULN))
                .records())
        .hasSize(3);
  }

  @Test
  void aPersonMergedIntoTheSurvivorIsFoundEvenThroughAnIdentifierItNeverHad() {
    // KIM_UPN names only the survivor; the person merged into it is found through the merge index.
    SubjectAccessAnswer answer = access.answer(request(IdentifierKind.UPN, KIM_UPN));

    assertThat(answer.records()).hasSize(3);
    assertThat(answer.records())
        .extracting(r -> r.attributes().get("term"))
        .contains("AUTUMN", "SPRING");
  }

  @Test
  void aMalformedIdentifierIsRefusedNamingTheFieldNeverTheValue() {
    String bad = JANE_NHS.substring(0, 9) + ((JANE_NHS.charAt(9) - '0' + 1) % 10);

    assertThatThrownBy(() -> access.answer(request(IdentifierKind.NHS_NUMBER, bad)))
        .isInstanceOfSatisfying(
            SubjectAccessException.class,
            e -> {
              assertThat(e.field()).isEqualTo("nhsNumber");
              assertThat(e.reason()).isEqualTo(SubjectAccessException.Reason.INVALID_IDENTIFIER);
              assertThat(e.getMessage())
                  .contains("nhsNumber")
                  .doesNotContain(bad)
                  .doesNotContain(bad.substring(3));
            });
    assertThatThrownBy(
            () ->
                access.answer(
                    request(
                        IdentifierKind.DATE_OF_BIRTH,
                        "31/02/1985",
                        IdentifierKind.GIVEN_NAME,
                        "Jane",
                        IdentifierKind.FAMILY_NAME,
                        "Doe")))
        .isInstanceOfSatisfying(
            SubjectAccessException.class,
            e -> {
              assertThat(e.field()).isEqualTo("dateOfBirth");
              assertThat(e.getMessage()).doesNotContain("31/02/1985");
            });
    assertThatThrownBy(() -> access.answer(request(IdentifierKind.GIVEN_NAME, "Jane")))
        .isInstanceOfSatisfying(
            SubjectAccessException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(SubjectAccessException.Reason.INCOMPLETE_IDENTIFIERS));
    assertThatThrownBy(() -> access.answer(request()))
        .isInstanceOfSatisfying(
            SubjectAccessException.class,
            e -> assertThat(e.reason()).isEqualTo(SubjectAccessException.Reason.NO_IDENTIFIER));
    assertThat(accessEntries())
        .as("a refused request reads nothing, so there is no access to audit")
        .isEmpty();
  }

  @Test
  void aRequestWithoutRequesterOrPurposeIsRefusedBeforeAnythingIsRead() {
    Map<IdentifierKind, String> ids = Map.of(IdentifierKind.NHS_NUMBER, JANE_NHS);

    assertThatThrownBy(() -> access.answer(new SubjectAccessRequest(ids, " ", "Article 15")))
        .isInstanceOfSatisfying(
            SubjectAccessException.class,
            e -> assertThat(e.reason()).isEqualTo(SubjectAccessException.Reason.MISSING_REQUESTER));
    assertThatThrownBy(() -> access.answer(new SubjectAccessRequest(ids, "DPO", null)))
        .isInstanceOfSatisfying(
            SubjectAccessException.class,
            e -> assertThat(e.reason()).isEqualTo(SubjectAccessException.Reason.MISSING_PURPOSE));
    assertThat(reader.dataReads).isZero();
    assertThat(accessEntries()).isEmpty();
  }

  @Test
  void everyAnswerIsAuditedWithWhoWhenWhyAndCountsButNoIdentifierOrToken() {
    access.answer(request(IdentifierKind.NHS_NUMBER, JANE_NHS, IdentifierKind.NINO, JANE_NINO));
    access.answer(request(IdentifierKind.NHS_NUMBER, UNKNOWN_NHS));

    List<AuditEntry> entries = accessEntries();
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).at()).isEqualTo(NOW);
    assertThat(entries.get(0).expiresAt()).isEqualTo(retention.expiresAtEpochSecond());
    assertThat(entries.get(0).details())
        .containsEntry("requester", "Data Protection Officer")
        .containsEntry("purpose", "Article 15 request DPO-7")
        .containsEntry("recordsReturned", 3);
    assertThat(entries.get(1).details()).containsEntry("recordsReturned", 0);
    Tokeniser tokeniser = keys.newTokeniser();
    List<String> secrets =
        new ArrayList<>(
            List.of(
                JANE_NHS,
                JANE_NINO,
                UNKNOWN_NHS,
                tokeniser.token(IdentifierKind.NHS_NUMBER, JANE_NHS),
                tokeniser.token(IdentifierKind.NINO, JANE_NINO),
                tokeniser.token(IdentifierKind.NHS_NUMBER, UNKNOWN_NHS)));
    for (AuditEntry e : entries) {
      String text = e.toString();
      assertThat(secrets).allSatisfy(s -> assertThat(text).doesNotContain(s));
    }
  }
}
