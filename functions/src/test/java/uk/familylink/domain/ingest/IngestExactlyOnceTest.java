package uk.familylink.domain.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.ingest.IngestService.FileFailedException;
import uk.familylink.domain.ingest.IngestService.IngestResult;
import uk.familylink.domain.ingest.IngestService.Outcome;
import uk.familylink.domain.ingest.IngestService.UploadedObject;
import uk.familylink.domain.linkage.LinkStore;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.RecordPlacement;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.fakes.ForwardingLinkStore;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryFileLedger;
import uk.familylink.fakes.InMemoryLinkedData;
import uk.familylink.fakes.InMemoryObjectStore;

/**
 * Exactly-once effect of ingest under at-least-once delivery (issue 13 item 1), with the ports'
 * in-memory fakes: failures part-way, crashes, give-up, continuations and versions of one key.
 */
class IngestExactlyOnceTest {

  private static final String BUCKET = "landing";
  private static final String KEY = "incoming/police/police-incidents/jan.csv";
  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final String HEADER =
      "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role\n";
  private static final String[] GIVEN = {"Alice", "Bob", "Carol", "Dan", "Eve", "Fay", "Gus"};

  private final InMemoryObjectStore objects = new InMemoryObjectStore();
  private final InMemoryLinkedData linked = new InMemoryLinkedData();
  private final FaultyStore faulty = new FaultyStore(linked);
  private final InMemoryFileLedger ledger = new InMemoryFileLedger();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final AtomicLong ids = new AtomicLong();
  private final RetentionPolicy retention = new RetentionPolicy(LocalDate.of(2026, 3, 31), 6);
  private final MovingClock clock = new MovingClock(NOW);
  private final List<UploadedObject> continued = new ArrayList<>();

  private IngestService service(IngestSettings settings) {
    return new IngestService(
        ContractRegistry.fromClasspath(),
        objects,
        faulty,
        ledger,
        audit,
        WorkingKeys.forIngest(new LocalKeyring(new byte[32])),
        settings,
        clock,
        () -> new PersonId("P" + ids.incrementAndGet()),
        continued::add,
        clock::advance);
  }

  private IngestSettings settings() {
    return IngestSettings.defaults(retention).withChunkSize(5);
  }

  /** {@code rows} valid rows, {@code persons} distinct people (same name, birth date, postcode). */
  private static String file(int rows, int persons, String incidentDate) {
    StringBuilder csv = new StringBuilder(HEADER);
    for (int i = 1; i <= rows; i++) {
      int p = i % persons;
      csv.append("PR-")
          .append(i)
          .append(",,")
          .append(GIVEN[p % GIVEN.length])
          .append(",Smith")
          .append(p / GIVEN.length)
          .append(",2010-02-0")
          .append(1 + p % 9)
          .append(",HR1 2AB,")
          .append(incidentDate)
          .append(",OFFENCE,SUSPECT\n");
    }
    return csv.toString();
  }

  private UploadedObject upload(String csv, String sequencer) {
    String eTag = objects.putText(BUCKET, KEY, csv);
    return new UploadedObject(BUCKET, KEY, csv.length(), eTag, null, null, sequencer);
  }

  private List<LinkedRecord> records() {
    List<LinkedRecord> out = new ArrayList<>();
    linked.forEachRecord(NOW, out::add);
    return out;
  }

  private long persons() {
    long[] n = {0};
    linked.forEachPerson(NOW, p -> n[0]++);
    return n[0];
  }

  private List<Object> outcomes() {
    return audit.entries().stream().map(e -> e.details().get("outcome")).toList();
  }

  @Test
  void aStoreFailureMidFileThenTheRetryCompletesWithEveryValidRowOnce() {
    String csv = file(23, 6, "2026-01-04");
    UploadedObject upload = upload(csv, "0001");
    faulty.failPutRecordsAtCall = 3; // chunks 1 and 2 stored, chunk 3's records fail

    assertThatThrownBy(() -> service(settings()).ingest(upload))
        .isInstanceOf(IllegalStateException.class);
    assertThat(records()).hasSize(10);
    assertThat(objects.keys(BUCKET)).as("the upload waits for the retry").contains(KEY);

    IngestResult retry = service(settings()).ingest(upload);

    assertThat(retry.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(records()).hasSize(23);
    assertThat(persons()).as("no person twice, none lost").isEqualTo(6);
    assertThat(audit.entries())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.details())
                    .containsEntry("outcome", "ACCEPTED")
                    .containsEntry("failedAttempts", 1)
                    .containsEntry("resumedAfterRow", 10L)
                    .containsEntry("rowsLinked", 23L)
                    .containsEntry("personsCreated", 6L)
                    .doesNotContainKey("objectKey"));
    assertThat(objects.keys(BUCKET)).doesNotContain(KEY).contains(reportKey("s0001", "json"));
    assertThat(ledger.status(IngestService.fileId(upload))).isEqualTo("DONE");
  }

  @Test
  void aFileThatKeepsFailingEndsInAFailedReportAnAuditEntryAndAFailedInvocation() {
    UploadedObject upload = upload(file(12, 4, "2026-01-04"), "0002");
    faulty.failPutRecordsAtCall = 1;
    faulty.failForever = true;
    IngestSettings settings = settings();

    for (int attempt = 1; attempt < settings.maxFailures(); attempt++) {
      assertThatThrownBy(() -> service(settings).ingest(upload))
          .isInstanceOf(IllegalStateException.class);
      assertThat(audit.entries()).isEmpty();
    }
    assertThatThrownBy(() -> service(settings).ingest(upload))
        .isInstanceOf(FileFailedException.class);

    assertThat(objects.text(BUCKET, reportKey("s0002", "json"))).contains("\"status\": \"FAILED\"");
    assertThat(objects.text(BUCKET, reportKey("s0002", "txt"))).startsWith("FAILED.");
    assertThat(outcomes()).containsExactly("FAILED");
    assertThat(audit.entries().get(0).details())
        .containsEntry("failures", 3)
        .containsEntry("errorType", "IllegalStateException");
    assertThat(objects.keys(BUCKET)).as("P2: the upload is deleted").doesNotContain(KEY);
    assertThat(ledger.status(IngestService.fileId(upload))).isEqualTo("FAILED");
    // a late redelivery does no work and fails loudly again
    assertThatThrownBy(() -> service(settings).ingest(upload))
        .isInstanceOf(FileFailedException.class);
    assertThat(outcomes()).containsExactly("FAILED");
  }

  @Test
  void aCrashedAttemptsLeaseRunsOutAndItsRetryTakesOverFromTheCheckpoint() {
    UploadedObject upload = upload(file(14, 5, "2026-01-04"), "0003");
    IngestSettings settings =
        settings().withLease(Duration.ofSeconds(30), Duration.ofSeconds(45), 3);
    String fileId = IngestService.fileId(upload);
    // an attempt that began, linked rows 1-5 and died without a word (timeout, OOM)
    FileLedger.Owned crashed =
        (FileLedger.Owned)
            ledger.begin(fileId, clock.instant(), settings.processingLease(), Long.MAX_VALUE);
    ledger.renew(
        fileId,
        crashed.attemptId(),
        clock.instant(),
        settings.processingLease(),
        new FileLedger.Checkpoint(0, Map.of()),
        Long.MAX_VALUE);

    IngestResult retry = service(settings).ingest(upload);

    assertThat(retry.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(clock.instant())
        .as("the retry waited for the lease to run out, no longer")
        .isBetween(NOW.plusSeconds(30), NOW.plusSeconds(32));
    assertThat(records()).hasSize(14);
    assertThat(audit.entries().get(0).details()).containsEntry("failedAttempts", 1);
  }

  @Test
  void aDeliveryWhileAnotherAttemptIsLiveWaitsThenFailsForARetryInsteadOfReturning() {
    UploadedObject upload = upload(file(3, 3, "2026-01-04"), "0004");
    IngestSettings settings =
        settings().withLease(Duration.ofMinutes(2), Duration.ofSeconds(10), 3);
    ledger.begin(
        IngestService.fileId(upload), clock.instant(), Duration.ofHours(1), Long.MAX_VALUE);

    assertThatThrownBy(() -> service(settings).ingest(upload))
        .isInstanceOf(IngestService.FileBusyException.class);
    assertThat(records()).isEmpty();
    assertThat(objects.keys(BUCKET)).contains(KEY);
  }

  @Test
  void anAttemptShortOfTimeCheckpointsAndItsContinuationsLinkTheRestOnce() {
    String csv = file(27, 8, "2026-01-04");
    UploadedObject upload = upload(csv, "0005");
    // each chunk "takes" 40 s of a 100 s budget; margin 90 s: one chunk per invocation
    IngestSettings settings = settings().withContinuationMargin(Duration.ofSeconds(90));
    int invocations = 0;
    IngestResult result;
    do {
      invocations++;
      Instant deadline = clock.instant().plusSeconds(100);
      faulty.onPutRecords = () -> clock.advance(Duration.ofSeconds(40));
      result =
          service(settings)
              .ingest(upload, () -> Duration.between(clock.instant(), deadline).toMillis());
    } while (result.outcome() == Outcome.CONTINUED);

    assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(invocations).isEqualTo(6);
    assertThat(continued).hasSize(5).allSatisfy(u -> assertThat(u).isEqualTo(upload));
    assertThat(records()).hasSize(27);
    assertThat(persons()).isEqualTo(8);
    assertThat(audit.entries())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.details())
                    .containsEntry("rowsLinked", 27L)
                    .containsEntry("personsCreated", 8L)
                    .doesNotContainKey("failedAttempts"));
  }

  @Test
  void versionsOfOneKeyAreToldApartAndTheLastUploadWinsAfterAThenBThenA() {
    String a = file(4, 4, "2026-01-04");
    String b = file(4, 4, "2026-02-05");
    IngestService service = service(settings());

    UploadedObject first = upload(a, "0010");
    assertThat(service.ingest(first).outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(service.ingest(upload(b, "0011")).outcome()).isEqualTo(Outcome.ACCEPTED);
    UploadedObject again = upload(a, "0012");
    assertThat(IngestService.fileId(again)).isNotEqualTo(IngestService.fileId(first));
    assertThat(service.ingest(again).outcome())
        .as("A re-sent after B is a new version, not a duplicate")
        .isEqualTo(Outcome.ACCEPTED);

    assertThat(records())
        .hasSize(4)
        .allSatisfy(r -> assertThat(r.eventDate()).isEqualTo(LocalDate.of(2026, 1, 4)));
    assertThat(objects.keys(BUCKET))
        .contains(
            reportKey("s0010", "json"), reportKey("s0011", "json"), reportKey("s0012", "json"));
    // a redelivery of the second A is still a duplicate
    objects.putText(BUCKET, KEY, a);
    assertThat(service.ingest(again).outcome()).isEqualTo(Outcome.DUPLICATE);
  }

  @Test
  void aDuplicateEventForAnOlderUploadNeverDeletesTheNewerOne() {
    String a = file(3, 3, "2026-01-04");
    IngestService service = service(settings());
    UploadedObject first = upload(a, "0020");
    service.ingest(first);
    String b = file(3, 3, "2026-02-05");
    upload(b, "0021"); // B lands; its event is still on its way

    assertThat(service.ingest(first).outcome()).isEqualTo(Outcome.DUPLICATE);

    assertThat(objects.text(BUCKET, KEY)).as("B waits for its own event").isEqualTo(b);
  }

  private static String reportKey(String tag, String ext) {
    return "reports/police/police-incidents/jan.csv." + tag + ".report." + ext;
  }

  /** A clock that stands still until moved; sleeping moves it. */
  private static final class MovingClock extends Clock {
    private volatile Instant now;

    MovingClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** The link store with a failure injected at the port: records of the n-th putRecords call. */
  private static final class FaultyStore extends ForwardingLinkStore {
    int failPutRecordsAtCall;
    boolean failForever;
    Runnable onPutRecords = () -> {};
    private int putRecordsCalls;

    FaultyStore(LinkStore delegate) {
      super(delegate);
    }

    @Override
    public Map<String, RecordPlacement> placements(
        String dataset, Collection<String> recordTokens, Instant now) {
      return new HashMap<>(delegate.placements(dataset, recordTokens, now));
    }

    @Override
    public void putRecords(List<LinkedRecord> records) {
      putRecordsCalls++;
      if (failPutRecordsAtCall > 0
          && (putRecordsCalls == failPutRecordsAtCall
              || (failForever && putRecordsCalls >= failPutRecordsAtCall))) {
        if (!failForever) {
          failPutRecordsAtCall = 0;
        }
        throw new IllegalStateException("injected store failure");
      }
      delegate.putRecords(records);
      onPutRecords.run();
    }
  }
}
