package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbLinkedData;
import uk.familylink.adapter.aws.DynamoDbPopulationReader;
import uk.familylink.adapter.aws.DynamoDbUnbackedLinks;
import uk.familylink.adapter.aws.ExpiryIndexAccess;
import uk.familylink.adapter.aws.LinkedTable;
import uk.familylink.domain.access.SubjectAccess;
import uk.familylink.domain.access.SubjectAccessRequest;
import uk.familylink.domain.identifier.CheckDigits;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.RetentionSweep;
import uk.familylink.domain.retention.SweepResult;
import uk.familylink.domain.retention.SweepSettings;
import uk.familylink.domain.retention.UnbackedLinkRemoval;
import uk.familylink.domain.retention.UnbackedLinkStore;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.LocalSweep;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3Events;

/**
 * Issue 4: "removes persons and families left with no live records". Long before expiry, a
 * correction that re-links a record leaves its old person (or family membership) with nothing
 * behind it; the next sweep removes exactly that, through the notes ingest left — and nothing else.
 */
class UnbackedLinksTest {

  /** The local tool's folder (keyring, logs); JUnit removes it afterwards. */
  @TempDir Path workDir;

  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final Instant NEXT_DAY = NOW.plus(Duration.ofDays(1));
  private static final String POLICE_HEADER =
      "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,"
          + "incident_date,incident_type,person_role\n";
  private static final String EH_HEADER =
      "record_ref,family_ref,nhs_number,given_name,family_name,date_of_birth,"
          + "postcode,family_role,expectant_parent,referral_date,closure_date,needs_identified\n";
  private static final String WRONG_PNC = CheckDigits.pncId(2010, 1111);
  private static final String RIGHT_PNC = CheckDigits.pncId(2010, 2222);
  private static final String NHS = SubjectAccessHandlerIntegrationTest.nhs(943_476_500L);
  private static final String OTHER_NHS = SubjectAccessHandlerIntegrationTest.nhs(943_476_600L);

  private EmbeddedAws aws;
  private LocalFamilyLink familyLink;
  private IncomingPoller poller;
  private DynamoDbPopulationReader linked;
  private DynamoDbLinkedData linkStore;

  @BeforeEach
  void start() throws Exception {
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    familyLink = LocalFamilyLink.start(aws, workDir, clock);
    poller =
        new IncomingPoller(
            aws.s3(), aws.bucket(), new S3Events(clock, aws.region().id()), familyLink.sink());
    linked = familyLink.linkedData();
    linkStore = familyLink.linkStore();
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private void upload(String key, String csv) {
    aws.s3()
        .putObject(
            b -> b.bucket(aws.bucket()).key(key),
            RequestBody.fromBytes(csv.getBytes(StandardCharsets.UTF_8)));
    assertThat(poller.pollOnce()).isEqualTo(1);
  }

  private SweepResult sweepNextDay() {
    return LocalSweep.sweep(aws, LocalSweep.localRetention(), Clock.fixed(NEXT_DAY, ZoneOffset.UTC))
        .run(() -> Long.MAX_VALUE);
  }

  private List<Map<String, AttributeValue>> items() {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    aws.dynamoDb().scanPaginator(b -> b.tableName(LocalFamilyLink.TABLE)).items().forEach(out::add);
    return out;
  }

  /**
   * Every item that names the person: its person item, its identity claims, records, memberships.
   */
  private List<Map<String, AttributeValue>> itemsOf(String person) {
    return items().stream()
        .filter(
            i ->
                i.get("pk").s().equals("PERSON#" + person)
                    || (i.containsKey("person") && i.get("person").s().equals(person)))
        .toList();
  }

  private LinkedRecord record(String ref) {
    List<LinkedRecord> out = new ArrayList<>();
    linked.forEachRecord(NEXT_DAY, out::add);
    return out.stream()
        .filter(
            r ->
                r.attributes().get("incident_type") != null
                    ? r.attributes().get("incident_type").equals(ref)
                    : false)
        .findFirst()
        .orElse(null);
  }

  private List<FamilyMembership> memberships() {
    List<FamilyMembership> out = new ArrayList<>();
    linked.forEachMembership(NEXT_DAY, out::add);
    return out;
  }

  private boolean subjectAccessFinds(IdentifierKind kind, String value) {
    SubjectAccess access = familyLink.subjectAccess(Clock.fixed(NEXT_DAY, ZoneOffset.UTC));
    return !access
        .answer(new SubjectAccessRequest(Map.of(kind, value), "DPO", "test"))
        .records()
        .isEmpty();
  }

  private long notes() {
    return items().stream().filter(i -> i.get("pk").s().equals(LinkedTable.RELEASED_PK)).count();
  }

  @Test
  void aPersonACorrectionLeftWithoutRecordsIsRemovedWithItsClaimsAndNothingElse() {
    upload(
        "incoming/police/police-incidents/week1.csv",
        POLICE_HEADER
            + "PR-1,"
            + WRONG_PNC
            + ",,,,,2026-01-05,OFFENCE,SUSPECT\n"
            + "PR-2,"
            + RIGHT_PNC
            + ",,,,,2026-01-06,MISSING,MISSING_PERSON\n");
    String wrongPerson = record("OFFENCE").person().value();
    String rightPerson = record("MISSING").person().value();
    assertThat(itemsOf(wrongPerson)).as("person item, PNC claim, record").hasSize(3);
    assertThat(subjectAccessFinds(IdentifierKind.PNC_ID, WRONG_PNC)).isTrue();

    upload(
        "incoming/police/police-incidents/week1-corrected.csv",
        POLICE_HEADER + "PR-1," + RIGHT_PNC + ",,,,,2026-01-05,DOMESTIC_ABUSE,VICTIM\n");
    assertThat(notes()).as("ingest noted the person the correction left").isEqualTo(1);
    assertThat(itemsOf(wrongPerson)).as("not removed by ingest itself").hasSize(2);
    List<Map<String, AttributeValue>> before = items();

    SweepResult result = sweepNextDay();

    assertThat(itemsOf(wrongPerson)).as("person item and the wrong PNC's claim are gone").isEmpty();
    assertThat(subjectAccessFinds(IdentifierKind.PNC_ID, WRONG_PNC)).isFalse();
    assertThat(subjectAccessFinds(IdentifierKind.PNC_ID, RIGHT_PNC)).isTrue();
    assertThat(itemsOf(rightPerson)).as("right person, its claim, both records").hasSize(4);
    assertThat(notes()).isZero();
    assertThat(items())
        .as("exactly the two items of the wrong person and the note went")
        .hasSize(before.size() - 3);
    assertThat(result.unbacked().personsRemoved()).isEqualTo(1);
    assertThat(result.deleted("PERSON")).isEqualTo(1);
    assertThat(result.deleted("ID")).isEqualTo(1);
    assertThat(result.deleted("REC")).isZero();
    assertThat(result.auditEntryId()).as("the removal is recorded as a destruction").isNotNull();
  }

  @Test
  void aMembershipACorrectionLeftUnbackedGoesAndTheFamilyWithIt() {
    upload(
        "incoming/early-help/early-help/eh1.csv",
        EH_HEADER
            + "EH-1,FAM-1,"
            + NHS
            + ",,,,,PARENT_CARER,N,2026-01-10,,HOUSING\n"
            + "EH-2,FAM-3,"
            + OTHER_NHS
            + ",,,,,PARENT_CARER,N,2026-01-10,,HOUSING\n");
    List<FamilyMembership> first = memberships();
    assertThat(first).hasSize(2);

    // The family reference was wrong: the correction moves EH-1 to FAM-2.
    upload(
        "incoming/early-help/early-help/eh1-corrected.csv",
        EH_HEADER + "EH-1,FAM-2," + NHS + ",,,,,PARENT_CARER,N,2026-01-10,,HOUSING\n");
    List<FamilyMembership> corrected = memberships();
    assertThat(corrected).as("until the sweep, the stale membership is still there").hasSize(3);
    FamilyMembership added =
        corrected.stream().filter(m -> !first.contains(m)).findFirst().orElseThrow();
    FamilyMembership stale =
        first.stream().filter(m -> m.person().equals(added.person())).findFirst().orElseThrow();

    SweepResult result = sweepNextDay();

    assertThat(memberships())
        .as("FAM-1 had only that membership: it is gone; FAM-2 and FAM-3 stay")
        .containsExactlyInAnyOrderElementsOf(
            corrected.stream().filter(m -> !m.equals(stale)).toList());
    assertThat(result.unbacked().membershipsRemoved()).isEqualTo(1);
    assertThat(result.unbacked().personsRemoved()).isZero();
    assertThat(subjectAccessFinds(IdentifierKind.NHS_NUMBER, NHS))
        .as("the person still has its record")
        .isTrue();
    assertThat(notes()).isZero();
  }

  @Test
  void aMembershipAnotherLiveRecordStillBacksStays() {
    upload(
        "incoming/early-help/early-help/eh1.csv",
        EH_HEADER
            + "EH-1,FAM-1,"
            + NHS
            + ",,,,,PARENT_CARER,N,2026-01-10,,HOUSING\n"
            + "EH-2,FAM-1,"
            + NHS
            + ",,,,,PARENT_CARER,N,2026-02-10,,EDUCATION\n");
    upload(
        "incoming/early-help/early-help/eh1-corrected.csv",
        EH_HEADER + "EH-1,FAM-2," + NHS + ",,,,,PARENT_CARER,N,2026-01-10,,HOUSING\n");
    assertThat(notes()).isEqualTo(1);
    int before = items().size();

    SweepResult result = sweepNextDay();

    assertThat(memberships()).as("EH-2 still names FAM-1").hasSize(2);
    assertThat(result.unbacked().membershipsRemoved()).isZero();
    assertThat(items()).as("only the note went").hasSize(before - 1);
  }

  @Test
  void aRecordLinkedToThePersonWhileItWasBeingRemovedPutsEverythingBack() {
    upload(
        "incoming/police/police-incidents/week1.csv",
        POLICE_HEADER
            + "PR-1,"
            + WRONG_PNC
            + ",,,,,2026-01-05,OFFENCE,SUSPECT\n"
            + "PR-2,"
            + RIGHT_PNC
            + ",,,,,2026-01-06,MISSING,MISSING_PERSON\n");
    LinkedRecord offence = record("OFFENCE");
    String wrongPerson = offence.person().value();
    upload(
        "incoming/police/police-incidents/week1-corrected.csv",
        POLICE_HEADER + "PR-1," + RIGHT_PNC + ",,,,,2026-01-05,DOMESTIC_ABUSE,VICTIM\n");
    List<Map<String, AttributeValue>> wrongBefore = itemsOf(wrongPerson);

    // A concurrent ingest cannot be timed against DynamoDB Local, so this store plays one: right
    // after the sweep deletes the person, an ingest writes a new record for it (as a Linker that
    // had resolved the person just before would).
    DynamoDbUnbackedLinks real =
        new DynamoDbUnbackedLinks(
            ExpiryIndexAccess.of(
                aws.dynamoDb(), LocalFamilyLink.TABLE, LocalFamilyLink.AUDIT_TABLE));
    UnbackedLinkStore racing =
        new RacingStore(
            real,
            () ->
                linkStore.putRecords(
                    List.of(
                        new LinkedRecord(
                            "police-incidents",
                            "police",
                            "late-record",
                            new PersonId(wrongPerson),
                            null,
                            Set.of(),
                            null,
                            null,
                            false,
                            Map.of(),
                            "late-file",
                            offence.expiresAt()))));
    RetentionSweep sweep =
        new RetentionSweep(
            LocalSweep.expiredItems(aws),
            new uk.familylink.adapter.aws.S3AgedObjects(aws.s3()),
            new DynamoDbAuditLog(aws.dynamoDb(), LocalFamilyLink.AUDIT_TABLE),
            SweepSettings.defaults(LocalSweep.localRetention(), aws.bucket()),
            Clock.fixed(NEXT_DAY, ZoneOffset.UTC),
            new UnbackedLinkRemoval(racing));

    SweepResult result = sweep.run(() -> Long.MAX_VALUE);

    assertThat(result.unbacked().restoredAfterRelink()).isEqualTo(wrongBefore.size());
    assertThat(result.unbacked().personsRemoved()).isZero();
    assertThat(itemsOf(wrongPerson))
        .as("person item and claim back, plus the late record")
        .hasSize(wrongBefore.size() + 1)
        .containsAll(wrongBefore);
    assertThat(subjectAccessFinds(IdentifierKind.PNC_ID, WRONG_PNC)).isTrue();
    assertThat(notes()).as("the note stays for the next run").isEqualTo(1);
  }

  /** Delegates to the real adapter; runs {@code meanwhile} once, right after the first removal. */
  private static final class RacingStore implements UnbackedLinkStore {
    private final UnbackedLinkStore real;
    private Runnable meanwhile;

    RacingStore(UnbackedLinkStore real, Runnable meanwhile) {
      this.real = real;
      this.meanwhile = meanwhile;
    }

    @Override
    public NotePage notes(String cursor) {
      return real.notes(cursor);
    }

    @Override
    public Cluster clusterOf(PersonId person, long now) {
      return real.clusterOf(person, now);
    }

    @Override
    public int restore(Removal removal) {
      return real.restore(removal);
    }

    @Override
    public boolean backed(Set<PersonId> persons, FamilyKey family, long now) {
      return real.backed(persons, family, now);
    }

    @Override
    public void clear(Note note) {
      real.clear(note);
    }

    @Override
    public Removal remove(List<ItemKey> keys) {
      Removal removal = real.remove(keys);
      if (meanwhile != null) {
        meanwhile.run();
        meanwhile = null;
      }
      return removal;
    }
  }
}
