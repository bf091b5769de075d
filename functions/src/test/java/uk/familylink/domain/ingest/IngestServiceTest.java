package uk.familylink.domain.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.ingest.IngestService.IngestResult;
import uk.familylink.domain.ingest.IngestService.Outcome;
import uk.familylink.domain.ingest.IngestService.UploadedObject;
import uk.familylink.domain.ingest.ObjectStore.ObjectChangedException;
import uk.familylink.domain.linkage.LinkStore;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryCandidateIndex;
import uk.familylink.fakes.InMemoryFileLedger;
import uk.familylink.fakes.InMemoryLinkStoreWithIndex;
import uk.familylink.fakes.InMemoryLinkedData;
import uk.familylink.fakes.InMemoryObjectStore;

class IngestServiceTest {

  private static final String BUCKET = "landing";
  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final String POLICE_HEADER =
      "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role";

  private final InMemoryObjectStore objects = new InMemoryObjectStore();
  private final InMemoryLinkedData linked = new InMemoryLinkedData();
  private final InMemoryFileLedger ledger = new InMemoryFileLedger();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final AtomicLong ids = new AtomicLong();
  private final RetentionPolicy retention = new RetentionPolicy(LocalDate.of(2026, 3, 31), 6);

  private IngestService service(IngestSettings settings) {
    return service(settings, linked);
  }

  private IngestService service(IngestSettings settings, LinkStore store) {
    return service(settings, store, objects);
  }

  private IngestService service(IngestSettings settings, LinkStore store, ObjectStore objectStore) {
    return new IngestService(
        ContractRegistry.fromClasspath(),
        objectStore,
        store,
        ledger,
        audit,
        WorkingKeys.forIngest(new LocalKeyring(new byte[32])),
        settings,
        Clock.fixed(NOW, ZoneOffset.UTC),
        () -> new PersonId("P" + ids.incrementAndGet()));
  }

  /**
   * The test's object store, except that every open after the first (the deciding pass) is handed
   * to {@code linkingPass}, which returns what the linking pass reads instead.
   */
  private ObjectStore withLinkingPassRead(
      java.util.function.UnaryOperator<java.io.InputStream> linkingPass) {
    int[] opens = {0};
    return new ObjectStore() {
      @Override
      public java.util.Optional<ObjectInfo> head(String bucket, String key) {
        return objects.head(bucket, key);
      }

      @Override
      public java.io.InputStream open(String bucket, String key, String eTag, String versionId) {
        java.io.InputStream real = objects.open(bucket, key, eTag, versionId);
        return ++opens[0] == 1 ? real : linkingPass.apply(real);
      }

      @Override
      public boolean deleteVersion(String bucket, String key, String eTag, String versionId) {
        return objects.deleteVersion(bucket, key, eTag, versionId);
      }

      @Override
      public void put(String bucket, String key, byte[] content, String contentType) {
        objects.put(bucket, key, content, contentType);
      }

      @Override
      public void delete(String bucket, String key) {
        objects.delete(bucket, key);
      }

      @Override
      public List<ObjectInfo> list(String bucket, String prefix) {
        return objects.list(bucket, prefix);
      }
    };
  }

  private IngestService service() {
    return service(IngestSettings.defaults(retention));
  }

  private UploadedObject upload(String key, String csv, String principal) {
    String eTag = objects.putText(BUCKET, key, csv);
    return new UploadedObject(BUCKET, key, csv.length(), eTag, principal);
  }

  private static String policeHeader() {
    return POLICE_HEADER + "\n";
  }

  private List<LinkedRecord> records() {
    List<LinkedRecord> out = new java.util.ArrayList<>();
    linked.forEachRecord(NOW, out::add);
    return out;
  }

  private long persons() {
    long[] n = {0};
    linked.forEachPerson(NOW, p -> n[0]++);
    return n[0];
  }

  /** A stored report with white space removed, so assertions do not depend on pretty printing. */
  private String json(String bucket, String key) {
    String text = objects.text(bucket, key);
    return text == null ? null : text.replaceAll("\\s", "");
  }

  private String validPoliceFile() {
    return policeHeader()
        + "PR-1,,Alice,Smith,2010-02-03,HR1 2AB,2026-01-04,DOMESTIC_ABUSE,VICTIM\n"
        + "PR-2,,ALICE,SMITH,03/02/2010,hr12ab,2026-02-04,MISSING,MISSING_PERSON\n"
        + "PR-3,,Bob,Jones,1980-05-06,HR4 9ZZ,2026-02-05,OFFENCE,SUSPECT\n";
  }

  @Test
  void anAcceptedFileIsLinkedReportedAuditedAndDeleted() {
    IngestResult result =
        service()
            .ingest(upload("incoming/police/police-incidents/jan.csv", validPoliceFile(), null));

    assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(records()).hasSize(3);
    assertThat(persons())
        .as("rows 1 and 2 are the same person by name, date of birth and postcode")
        .isEqualTo(2);
    assertThat(records())
        .allSatisfy(r -> assertThat(r.expiresAt()).isEqualTo(retention.expiresAtEpochSecond()));
    assertThat(objects.keys(BUCKET))
        .containsExactlyInAnyOrder(
            "reports/police/police-incidents/jan.csv.report.json",
            "reports/police/police-incidents/jan.csv.report.txt");
    assertThat(json(BUCKET, "reports/police/police-incidents/jan.csv.report.json"))
        .contains("\"status\":\"ACCEPTED\"");
    assertThat(audit.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo("INGEST");
              assertThat(e.details())
                  .containsEntry("outcome", "ACCEPTED")
                  .containsEntry("rowsValid", 3L)
                  .containsEntry("personsCreated", 2L)
                  .containsKey("sha256")
                  .containsKey("durationMs");
            });
  }

  @Test
  void theSameObjectDeliveredTwiceIsRecordedAsADuplicateAndWritesNothingNew() {
    String csv = validPoliceFile();
    UploadedObject upload = upload("incoming/police/police-incidents/jan.csv", csv, null);
    service().ingest(upload);
    objects.putText(
        BUCKET, upload.key(), csv); // S3 redelivers the event for the same object version

    IngestResult second = service().ingest(upload);

    assertThat(second.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(records()).hasSize(3);
    assertThat(persons()).isEqualTo(2);
    assertThat(audit.entries())
        .extracting(e -> e.details().get("outcome"))
        .containsExactly("ACCEPTED", "DUPLICATE");
    assertThat(objects.keys(BUCKET)).noneMatch(k -> k.startsWith("incoming/"));
  }

  @Test
  void aStructurallyBrokenFileIsRejectedWholeAndWritesNothing() {
    String csv = "record_ref,given_name\nPR-1,Alice\n";
    IngestResult result =
        service().ingest(upload("incoming/police/police-incidents/bad.csv", csv, null));

    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(records()).isEmpty();
    assertThat(persons()).isZero();
    assertThat(json(BUCKET, "reports/police/police-incidents/bad.csv.report.json"))
        .contains("HEADER_MISSING_COLUMN")
        .contains("\"status\":\"REJECTED\"");
    assertThat(objects.keys(BUCKET)).noneMatch(k -> k.startsWith("incoming/"));
  }

  @Test
  void tooManyInvalidRowsRejectTheFileEvenThoughSomeRowsAreValid() {
    String csv =
        policeHeader()
            + "PR-1,,Alice,Smith,2010-02-03,HR1 2AB,2026-01-04,DOMESTIC_ABUSE,VICTIM\n"
            + "PR-2,,Alice,Smith,2010-02-31,HR1 2AB,2026-01-04,DOMESTIC_ABUSE,VICTIM\n";
    IngestResult result =
        service().ingest(upload("incoming/police/police-incidents/half.csv", csv, null));

    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(records()).as("nothing is half-written").isEmpty();
  }

  @Test
  void validRowsOfAFileUnderTheInvalidShareAreIngestedAndTheRestReported() {
    IngestSettings lenient =
        new IngestSettings(retention, 0.5, 250, java.time.Duration.ofMinutes(5), 1000, Map.of());
    String csv =
        validPoliceFile()
            + "PR-4,,Carl,Smith,2010-02-31,HR1 2AB,2026-01-04,DOMESTIC_ABUSE,VICTIM\n";
    IngestResult result =
        service(lenient).ingest(upload("incoming/police/police-incidents/most.csv", csv, null));

    assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED_WITH_ERRORS);
    assertThat(records()).hasSize(3);
    assertThat(json(BUCKET, "reports/police/police-incidents/most.csv.report.json"))
        .contains("\"row\":4")
        .contains("INVALID_DATE");
  }

  @Test
  void unknownPartnersDatasetsAndWrongPairingsGetRejectionReportsNotRetries() {
    IngestService service = service();
    assertThat(
            service
                .ingest(upload("incoming/nobody/police-incidents/a.csv", validPoliceFile(), null))
                .report()
                .counts())
        .containsKey(uk.familylink.domain.validation.ReasonCode.UNKNOWN_PARTNER);
    assertThat(
            service
                .ingest(upload("incoming/police/no-such-dataset/a.csv", validPoliceFile(), null))
                .report()
                .counts())
        .containsKey(uk.familylink.domain.validation.ReasonCode.UNKNOWN_DATASET);
    assertThat(
            service
                .ingest(upload("incoming/health/police-incidents/a.csv", validPoliceFile(), null))
                .report()
                .counts())
        .containsKey(uk.familylink.domain.validation.ReasonCode.DATASET_NOT_FOR_PARTNER);
    assertThat(service.ingest(upload("incoming/stray.csv", validPoliceFile(), null)).outcome())
        .isEqualTo(Outcome.REJECTED);

    assertThat(records()).isEmpty();
    assertThat(objects.keys(BUCKET)).noneMatch(k -> k.startsWith("incoming/"));
    assertThat(objects.keys(BUCKET)).contains("reports/nobody/police-incidents/a.csv.report.json");
    assertThat(audit.entries())
        .hasSize(4)
        .allSatisfy(e -> assertThat(e.details()).containsEntry("outcome", "REJECTED"));
  }

  @Test
  void anUploadFromAnotherPartnersPrincipalIsRejectedWithoutProcessing() {
    IngestService service =
        service(
            IngestSettings.defaults(retention)
                .withPartnerPrincipals(
                    Map.of("police", "AWS:AROAPOLICE", "health", "AWS:AROAHEALTH")));

    IngestResult wrong =
        service.ingest(
            upload(
                "incoming/police/police-incidents/a.csv",
                validPoliceFile(),
                "AWS:AROAHEALTH:session"));
    assertThat(wrong.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(wrong.report().counts())
        .containsKey(uk.familylink.domain.validation.ReasonCode.UPLOADER_NOT_PARTNER);
    assertThat(records()).isEmpty();

    IngestResult right =
        service.ingest(
            upload(
                "incoming/police/police-incidents/b.csv",
                validPoliceFile(),
                "AWS:AROAPOLICE:session"));
    assertThat(right.outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void chunksSmallerThanTheFileLinkTheSameWayAsOneChunk() {
    IngestSettings tiny = IngestSettings.defaults(retention).withChunkSize(1);
    service(tiny)
        .ingest(upload("incoming/police/police-incidents/jan.csv", validPoliceFile(), null));

    assertThat(persons()).isEqualTo(2);
    assertThat(records()).hasSize(3);
  }

  private static final String TYPO_FILE =
      POLICE_HEADER
          + "\nPR-1,,Jonathan,Smith,1980-05-06,HR4 9ZZ,2026-01-04,OFFENCE,SUSPECT\n"
          + "PR-2,,Jonathon,Smith,1980-05-06,HR4 9ZZ,2026-02-04,OFFENCE,SUSPECT\n";

  private final InMemoryCandidateIndex index = new InMemoryCandidateIndex();

  @Test
  void tierThreeLinksAGivenNameTypo() {
    service(IngestSettings.defaults(retention), new InMemoryLinkStoreWithIndex(linked, index))
        .ingest(upload("incoming/police/police-incidents/a.csv", TYPO_FILE, null));
    assertThat(persons()).as("tier 3 scores the typo as the same person").isEqualTo(1);
    assertThat(audit.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("probabilisticLinks", 1L));
  }

  @Test
  void theDeterministicTiersAloneDoNotLinkAGivenNameTypo() {
    service(
            IngestSettings.defaults(retention).withProbabilisticTier(false),
            new InMemoryLinkStoreWithIndex(linked, index))
        .ingest(upload("incoming/police/police-incidents/a.csv", TYPO_FILE, null));
    assertThat(persons()).as("deterministic tiers: exact keys only").isEqualTo(2);
    assertThat(audit.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("probabilisticLinks", 0L));
    assertThat(index.lookups).as("no candidate lookups").isZero();
  }

  @Test
  void storedPersonsCarryNoIdentifiers() {
    service().ingest(upload("incoming/police/police-incidents/jan.csv", validPoliceFile(), null));
    List<PersonEntry> persons = new java.util.ArrayList<>();
    linked.forEachPerson(NOW, persons::add);
    assertThat(records())
        .allSatisfy(
            r -> {
              assertThat(r.birthYearMonth()).matches("\\d{4}-\\d{2}");
              assertThat(r.toString())
                  .doesNotContain("Alice", "ALICE", "SMITH", "HR1", "2010-02-03", "PR-1");
            });
  }

  @Test
  void anObjectReplacedBetweenTwoWindowsOfTheLinkingPassIsSupersededWithItsLinkedRowsCounted() {
    String csv = validPoliceFile();
    UploadedObject first = upload("incoming/police/police-incidents/jan.csv", csv, null);
    int cut = csv.indexOf("PR-3"); // the linking pass sees two rows, then the version is gone
    ObjectStore replacedMidRead =
        withLinkingPassRead(
            real ->
                new java.io.FilterInputStream(real) {
                  private int read;

                  @Override
                  public int read(byte[] b, int off, int len) throws java.io.IOException {
                    if (read >= cut) {
                      // as S3ObjectStore's next window does
                      throw new ObjectChangedException(first.key());
                    }
                    int n = super.read(b, off, Math.min(len, cut - read));
                    read += Math.max(n, 0);
                    return n;
                  }

                  @Override
                  public int read() throws java.io.IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                  }
                });
    IngestService service =
        service(IngestSettings.defaults(retention).withChunkSize(1), linked, replacedMidRead);

    IngestResult result = service.ingest(first);

    assertThat(result.outcome()).isEqualTo(Outcome.SUPERSEDED);
    assertThat(records()).as("the rows linked before the change stand").hasSize(2);
    assertThat(objects.keys(BUCKET)).as("nothing deleted").contains(first.key());
    assertThat(audit.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.details()).containsEntry("outcome", "SUPERSEDED");
              assertThat(e.details()).containsEntry("rowsLinked", 2L);
            });
    assertThat(ledger.status(IngestService.fileId(first))).isNotEqualTo("IN_PROGRESS");
  }

  @Test
  void anEventForAnObjectReplacedSinceItWasSentProcessesAndDeletesNothing() {
    UploadedObject stale =
        upload("incoming/police/police-incidents/jan.csv", validPoliceFile(), null);
    objects.putText(
        BUCKET,
        stale.key(),
        validPoliceFile() + "PR-9,,Dan,Smith,2011-02-03,HR1 2AB,2026-01-04,OFFENCE,SUSPECT\n");

    IngestResult result = service().ingest(stale);

    assertThat(result.outcome()).isEqualTo(Outcome.SUPERSEDED);
    assertThat(records()).isEmpty();
    assertThat(objects.keys(BUCKET))
        .as("the newer upload waits for its own event")
        .contains(stale.key());
    assertThat(audit.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("outcome", "SUPERSEDED"));
  }

  @Test
  void aDuplicateRecordRefInOneFileLeavesNoOrphanPerson() {
    String csv =
        policeHeader()
            + "PR-1,,Alice,Smith,2010-02-03,HR1 2AB,2026-01-04,DOMESTIC_ABUSE,VICTIM\n"
            + "PR-2,,Carol,Brown,2011-03-04,HR1 2AB,2026-01-04,OFFENCE,VICTIM\n"
            // a different person under the same reference: left out, never linked
            + "PR-1,,Bob,Jones,1980-05-06,HR4 9ZZ,2026-02-05,OFFENCE,SUSPECT\n";
    StringBuilder more = new StringBuilder(csv); // enough rows to stay under the invalid share
    for (char c = 'a'; c < 'a' + 20; c++) {
      more.append("PR-X").append(c).append(",,Dan,Ev").append(c);
      more.append(",2001-01-01,HR1 2AB,2026-01-04,OFFENCE,VICTIM\n");
    }

    IngestResult result =
        service().ingest(upload("incoming/police/police-incidents/dup.csv", more.toString(), null));

    assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED_WITH_ERRORS);
    assertThat(records()).hasSize(22);
    assertThat(persons()).as("every person has a record").isEqualTo(22);
    assertThat(json(BUCKET, "reports/police/police-incidents/dup.csv.report.json"))
        .contains("\"row\":3,\"column\":\"record_ref\",\"reason\":\"DUPLICATE_RECORD_REF\"")
        .contains("\"relatedRow\":1");
  }

  @Test
  void aRowWithOneBadIdentifierIsStillLinkedAndTheFileIsAcceptedWithErrors() {
    String csv =
        policeHeader()
            + "PR-1,11/0000001A,Alice,Smith,2010-02-03,HR1 2AB,2026-01-04,DOMESTIC_ABUSE,VICTIM\n"
            + "PR-2,,ALICE,SMITH,03/02/2010,hr12ab,2026-02-04,MISSING,MISSING_PERSON\n";

    IngestResult result =
        service().ingest(upload("incoming/police/police-incidents/pnc.csv", csv, null));

    assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED_WITH_ERRORS);
    assertThat(records()).hasSize(2);
    assertThat(persons()).as("linked on names, date of birth and postcode").isEqualTo(1);
    assertThat(audit.entries())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.details())
                    .containsEntry("rowsInvalid", 0L)
                    .containsEntry("rowsKeptWithIssues", 1L)
                    .containsEntry("bytesReadToEnd", true));
  }

  @Test
  void aLinkingPassThatReadsOtherBytesThanTheDecidingPassFailsTheFileLoudly() {
    String key = "incoming/police/police-incidents/changed.csv";
    UploadedObject upload = upload(key, validPoliceFile(), null);
    String other = validPoliceFile().replace("PR-3,,Bob", "PR-3,,Rob"); // same size, other content
    ObjectStore flaky =
        withLinkingPassRead(
            real ->
                new java.io.ByteArrayInputStream(
                    other.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    IngestService service = service(IngestSettings.defaults(retention), linked, flaky);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.ingest(upload))
        .isInstanceOf(IngestService.PassMismatchException.class)
        .hasMessage("pass 2 of the file differs from pass 1 in sha256")
        .hasMessageNotContaining("Bob")
        .hasMessageNotContaining("Rob");
    // no report claims the file was accepted, and the upload is kept for the retry
    assertThat(objects.keys(BUCKET)).containsExactly(key);
    assertThat(audit.entries()).isEmpty();
  }

  @Test
  void ingestReportsWhatAStandaloneValidationOfTheSameBytesReportsWhateverTheReadSizes()
      throws Exception {
    // a cell of 60,000 characters: FastCSV's own buffer limit used to trip on it or not depending
    // on how many bytes each read returned
    StringBuilder csv = new StringBuilder(validPoliceFile());
    csv.append("PR-4,,").append("A".repeat(60_000));
    csv.append(",Smith,2010-02-03,HR1 2AB,2026-01-04,OFFENCE,VICTIM\n");
    for (int i = 5; i < 40; i++) {
      csv.append("PR-").append(i).append(",,Alice,Smith,2010-02-03,HR1 2AB,2026-01-04,OFFENCE,\n");
    }
    String key = "incoming/police/police-incidents/wide.csv";
    IngestResult result = service().ingest(upload(key, csv.toString(), null));
    String ingested = objects.text(BUCKET, "reports/police/police-incidents/wide.csv.report.json");

    assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED_WITH_ERRORS);
    // PR-4 loses its 60,000-character given name and has nothing linkable left
    assertThat(records()).hasSize(38);
    assertThat(result.report().rowsInvalid()).isEqualTo(1);
    byte[] bytes = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var contract = ContractRegistry.fromClasspath().find("police-incidents").orElseThrow();
    var validator =
        new uk.familylink.domain.validation.ExtractValidator(
            contract,
            IngestSettings.defaults(retention).validationPolicy(contract),
            Clock.fixed(NOW, ZoneOffset.UTC));
    for (int chunk : new int[] {1, 1460, 64 * 1024}) {
      java.io.InputStream in =
          new java.io.FilterInputStream(new java.io.ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
              return super.read(b, off, Math.min(len, chunk));
            }
          };
      assertThat(validator.validate(in, row -> {}).toJson())
          .as("%d-byte reads", chunk)
          .isEqualTo(ingested);
    }
  }
}
