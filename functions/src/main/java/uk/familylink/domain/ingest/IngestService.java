package uk.familylink.domain.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.linkage.LinkContext;
import uk.familylink.domain.linkage.LinkStats;
import uk.familylink.domain.linkage.LinkStore;
import uk.familylink.domain.linkage.Linker;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.PseudonymisedRow;
import uk.familylink.domain.pseudonym.RowPseudonymiser;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.validation.ExtractValidator;
import uk.familylink.domain.validation.ReasonCode;
import uk.familylink.domain.validation.ValidationReport;

/**
 * Ingests one uploaded extract: route, check the uploader, validate, pseudonymise, link, report,
 * audit, delete the upload.
 *
 * <p>Two passes over the object: the first validates only and decides accept or reject, so a
 * rejected file writes nothing; the second (pinned to the same ETag) pseudonymises and links the
 * valid rows. Row problems are values in the report; infrastructure failures throw, so Lambda
 * retries, and a retry is safe because every write is idempotent and the file ledger turns a
 * completed redelivery into a recorded duplicate.
 */
public final class IngestService {

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  private final ContractRegistry contracts;
  private final ObjectStore objects;
  private final LinkStore linkStore;
  private final FileLedger ledger;
  private final AuditLog audit;
  private final WorkingKeys keys;
  private final IngestSettings settings;
  private final Clock clock;
  private final Supplier<PersonId> personIds;

  public IngestService(
      ContractRegistry contracts,
      ObjectStore objects,
      LinkStore linkStore,
      FileLedger ledger,
      AuditLog audit,
      WorkingKeys keys,
      IngestSettings settings,
      Clock clock,
      Supplier<PersonId> personIds) {
    this.contracts = contracts;
    this.objects = objects;
    this.linkStore = linkStore;
    this.ledger = ledger;
    this.audit = audit;
    this.keys = keys;
    this.settings = settings;
    this.clock = clock;
    this.personIds = personIds;
  }

  /** Processes one uploaded object. Throws only for infrastructure failures (retryable). */
  public IngestResult ingest(UploadedObject upload) {
    Instant started = clock.instant();
    String fileId = fileId(upload);
    long expiresAt = settings.retention().expiresAtEpochSecond();
    IncomingKey key = IncomingKey.parse(upload.key());

    Optional<ReasonCode> routing = checkRouting(key, upload.principal());
    if (routing.isPresent()) {
      ValidationReport report =
          ValidationReport.rejected(key == null ? null : key.dataset(), routing.get());
      return finish(upload, key, fileId, report, null, Outcome.REJECTED, started, false);
    }

    FileLedger.Claim claim = ledger.begin(fileId, started, settings.processingLease(), expiresAt);
    if (claim == FileLedger.Claim.ALREADY_DONE) {
      return finish(upload, key, fileId, null, null, Outcome.DUPLICATE, started, false);
    }
    if (claim == FileLedger.Claim.IN_PROGRESS_ELSEWHERE) {
      LOG.atInfo()
          .addKeyValue("event", "ingest.in_progress_elsewhere")
          .addKeyValue("fileId", fileId)
          .log("another invocation holds this file; leaving it to that one");
      return new IngestResult(fileId, Outcome.IN_PROGRESS_ELSEWHERE, null, null);
    }

    try {
      return validateAndLink(upload, key, fileId, expiresAt, started);
    } catch (ObjectStore.ObjectChangedException e) {
      return superseded(upload, key, fileId, expiresAt, started);
    }
  }

  private IngestResult validateAndLink(
      UploadedObject upload, IncomingKey key, String fileId, long expiresAt, Instant started) {
    DatasetContract contract = contracts.find(key.dataset()).orElseThrow();
    ValidationReport dryRun = validate(upload, contract, row -> {});
    if (dryRun.status() == ValidationReport.Status.REJECTED) {
      return finish(upload, key, fileId, dryRun, null, Outcome.REJECTED, started, true);
    }

    LinkStats stats = new LinkStats();
    LinkContext context = new LinkContext(key.partner(), key.dataset(), fileId, expiresAt);
    Linker linker =
        new Linker(
            linkStore,
            personIds,
            clock,
            keys.newSeal(),
            new uk.familylink.domain.linkage.MatchScorer(
                uk.familylink.domain.linkage.MatchModel.prior()));
    RowPseudonymiser pseudonymiser =
        new RowPseudonymiser(keys.newTokeniser(), keys.newEncoder(), key.dataset());
    List<PseudonymisedRow> chunk = new ArrayList<>(settings.chunkSize());
    long[] seen = {0};
    ValidationReport report =
        validate(
            upload,
            contract,
            row -> {
              chunk.add(pseudonymiser.pseudonymise(row));
              if (chunk.size() == settings.chunkSize()) {
                linker.link(chunk, context, stats);
                chunk.clear();
              }
              if (++seen[0] % settings.progressEveryRows() == 0) {
                LOG.atInfo()
                    .addKeyValue("event", "ingest.progress")
                    .addKeyValue("fileId", fileId)
                    .addKeyValue("rowsLinked", seen[0])
                    .log("ingest progress");
              }
            });
    linker.link(chunk, context, stats);
    return finish(
        upload,
        key,
        fileId,
        report,
        stats,
        report.rowsInvalid() == 0 ? Outcome.ACCEPTED : Outcome.ACCEPTED_WITH_ERRORS,
        started,
        true);
  }

  /**
   * The object was replaced or removed after its event was sent. Its newer version has an event of
   * its own, so this one neither processes nor deletes anything: deleting would destroy the newer
   * upload before it is read. Reading is pinned to the event's ETag, so nothing was linked.
   */
  private IngestResult superseded(
      UploadedObject upload, IncomingKey key, String fileId, long expiresAt, Instant started) {
    Instant finished = clock.instant();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("outcome", Outcome.SUPERSEDED.name());
    details.put("fileId", fileId);
    details.put("objectKey", upload.key());
    details.put("partner", key.partner());
    details.put("dataset", key.dataset());
    details.put("durationMs", Duration.between(started, finished).toMillis());
    audit.append(
        new AuditEntry(UUID.randomUUID().toString(), finished, "INGEST", details, expiresAt));
    ledger.complete(fileId, Outcome.SUPERSEDED.name(), finished, expiresAt);
    LOG.atInfo()
        .addKeyValue("event", "ingest.superseded")
        .addKeyValue("fileId", fileId)
        .addKeyValue("objectKey", upload.key())
        .log("object changed since its event; left to its newer event");
    return new IngestResult(fileId, Outcome.SUPERSEDED, null, null);
  }

  private Optional<ReasonCode> checkRouting(IncomingKey key, String principal) {
    if (key == null) {
      return Optional.of(ReasonCode.BAD_OBJECT_KEY);
    }
    if (!contracts.partners().contains(key.partner())) {
      return Optional.of(ReasonCode.UNKNOWN_PARTNER);
    }
    if (contracts.find(key.dataset()).isEmpty()) {
      return Optional.of(ReasonCode.UNKNOWN_DATASET);
    }
    if (!contracts.isAllowed(key.partner(), key.dataset())) {
      return Optional.of(ReasonCode.DATASET_NOT_FOR_PARTNER);
    }
    if (!settings.uploaderMatches(key.partner(), principal)) {
      return Optional.of(ReasonCode.UPLOADER_NOT_PARTNER);
    }
    return Optional.empty();
  }

  private ValidationReport validate(
      UploadedObject upload,
      DatasetContract contract,
      java.util.function.Consumer<uk.familylink.domain.validation.ValidatedRow> sink) {
    ExtractValidator validator =
        new ExtractValidator(contract, settings.validationPolicy(contract), clock);
    try (InputStream in = objects.open(upload.bucket(), upload.key(), upload.eTag())) {
      return validator.validate(in, sink);
    } catch (IOException e) {
      throw new UncheckedIOException("reading upload failed: " + upload.key(), e);
    }
  }

  private IngestResult finish(
      UploadedObject upload,
      IncomingKey key,
      String fileId,
      ValidationReport report,
      LinkStats stats,
      Outcome outcome,
      Instant started,
      boolean ledgerHeld) {
    long expiresAt = settings.retention().expiresAtEpochSecond();
    if (report != null) {
      String base = key != null ? null : "reports/_unrouted/" + fileId + ".report.";
      objects.put(
          upload.bucket(),
          key != null ? key.reportKey("json") : base + "json",
          report.toJson().getBytes(StandardCharsets.UTF_8),
          "application/json");
      objects.put(
          upload.bucket(),
          key != null ? key.reportKey("txt") : base + "txt",
          report.toSummaryText().getBytes(StandardCharsets.UTF_8),
          "text/plain; charset=utf-8");
    }
    Instant finished = clock.instant();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("outcome", outcome.name());
    details.put("fileId", fileId);
    details.put("objectKey", upload.key());
    details.put("objectSize", upload.size());
    if (key != null) {
      details.put("partner", key.partner());
      details.put("dataset", key.dataset());
    }
    if (report != null) {
      details.put("bytesRead", report.bytes());
      if (report.sha256() != null) {
        details.put("sha256", report.sha256());
      }
      details.put("rowsTotal", report.rowsTotal());
      details.put("rowsValid", report.rowsValid());
      details.put("rowsInvalid", report.rowsInvalid());
      report.counts().forEach((reason, count) -> details.put("reason." + reason.name(), count));
    }
    if (stats != null) {
      details.put("rowsLinked", stats.rowsLinked());
      details.put("personsCreated", stats.newPersons());
      details.put("linkedToExisting", stats.linkedToExisting());
      details.put("merges", stats.merges());
      details.put("linksReleased", stats.linksReleased());
      details.put("itemsWritten", stats.itemsWritten());
      details.put("raceRetries", stats.retries());
      details.put("probabilisticLinks", stats.probabilisticLinks());
      details.put("possibleLinks", stats.possibleLinks());
      details.put("identifierConflicts", stats.identifierConflicts());
      details.put("blocksCapped", stats.blocksCapped());
    }
    details.put("durationMs", Duration.between(started, finished).toMillis());
    audit.append(
        new AuditEntry(UUID.randomUUID().toString(), finished, "INGEST", details, expiresAt));
    if (ledgerHeld) {
      ledger.complete(fileId, outcome.name(), finished, expiresAt);
    }
    // P2: the upload never lingers, whatever the outcome.
    objects.delete(upload.bucket(), upload.key());
    var event = LOG.atInfo().addKeyValue("event", "ingest.done");
    for (Map.Entry<String, Object> e : details.entrySet()) {
      event = event.addKeyValue(e.getKey(), e.getValue());
    }
    event.log("ingest finished");
    return new IngestResult(fileId, outcome, report, stats);
  }

  /** Stable identity of one delivery target: the same object version always gets the same ID. */
  static String fileId(UploadedObject upload) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(
          (upload.bucket() + "\n" + upload.key() + "\n" + upload.eTag())
              .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public enum Outcome {
    ACCEPTED,
    ACCEPTED_WITH_ERRORS,
    REJECTED,
    DUPLICATE,
    IN_PROGRESS_ELSEWHERE,
    SUPERSEDED
  }

  /**
   * What happened to one upload. {@code report} and {@code linkage} are null when not applicable.
   */
  public record IngestResult(
      String fileId, Outcome outcome, ValidationReport report, LinkStats linkage) {}

  /** An object named by an S3 event (key already URL-decoded). */
  public record UploadedObject(
      String bucket, String key, long size, String eTag, String principal) {}
}
