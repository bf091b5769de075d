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
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.audit.AuditEvent;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.linkage.LinkContext;
import uk.familylink.domain.linkage.LinkStats;
import uk.familylink.domain.linkage.LinkStore;
import uk.familylink.domain.linkage.Linker;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.PseudonymisedRow;
import uk.familylink.domain.metrics.Metrics;
import uk.familylink.domain.pseudonym.RowPseudonymiser;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.validation.ExtractValidator;
import uk.familylink.domain.validation.ReasonCode;
import uk.familylink.domain.validation.ValidatedRow;
import uk.familylink.domain.validation.ValidationReport;

/**
 * Ingests one uploaded extract: route, check the uploader, validate, pseudonymise, link, report,
 * audit, delete the upload.
 *
 * <p>Two passes over one pinned object version (S3 version id, or the ETag when the store keeps no
 * versions): the first validates only and decides accept or reject, so a rejected file writes
 * nothing; the second pseudonymises and links the valid rows in chunks. Row problems are values in
 * the report; infrastructure failures throw, so Lambda retries.
 *
 * <p>Exactly-once effect under at-least-once delivery (ADR 0120): a file is one object version
 * ({@link #fileId}). An attempt owns it through a short lease in the {@link FileLedger}, renewed
 * with a checkpoint (last row linked) while chunks are linked. Linking is idempotent (records and
 * memberships are keyed deterministically, persons are found again through their claims), so
 * whatever a failed or crashed attempt wrote is harmless and its retry simply resumes from the
 * checkpoint. A failed attempt gives its lease back at once; a crashed one's lease runs out. After
 * {@link IngestSettings#maxFailures()} failed attempts the file is given up: a FAILED report to the
 * partner, a FAILED audit entry, and the invocation fails into the alarmed failure destination.
 * With a {@link Continuations} port, an attempt that runs short of invocation time checkpoints and
 * hands the rest of the file to a continuation (ADR 0121).
 */
public final class IngestService {

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
  private static final Duration LEASE_POLL = Duration.ofMillis(500);

  private final ContractRegistry contracts;
  private final ObjectStore objects;
  private final LinkStore linkStore;
  private final FileLedger ledger;
  private final AuditLog audit;
  private final WorkingKeys keys;
  private final IngestSettings settings;
  private final Clock clock;
  private final Supplier<PersonId> personIds;
  private final Continuations continuations;
  private final Sleeper sleeper;
  private final Metrics metrics;

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
    this(
        contracts,
        objects,
        linkStore,
        ledger,
        audit,
        keys,
        settings,
        clock,
        personIds,
        Continuations.NONE,
        Sleeper.REAL);
  }

  public IngestService(
      ContractRegistry contracts,
      ObjectStore objects,
      LinkStore linkStore,
      FileLedger ledger,
      AuditLog audit,
      WorkingKeys keys,
      IngestSettings settings,
      Clock clock,
      Supplier<PersonId> personIds,
      Continuations continuations,
      Sleeper sleeper) {
    this(
        contracts,
        objects,
        linkStore,
        ledger,
        audit,
        keys,
        settings,
        clock,
        personIds,
        continuations,
        sleeper,
        Metrics.NONE);
  }

  /**
   * The ingest service.
   *
   * @param metrics where each file's counts go (rows by outcome, files by status, links by tier,
   *     conflicts, duration, race retries); flushed by the handler once per invocation
   */
  public IngestService(
      ContractRegistry contracts,
      ObjectStore objects,
      LinkStore linkStore,
      FileLedger ledger,
      AuditLog audit,
      WorkingKeys keys,
      IngestSettings settings,
      Clock clock,
      Supplier<PersonId> personIds,
      Continuations continuations,
      Sleeper sleeper,
      Metrics metrics) {
    this.metrics = metrics;
    this.contracts = contracts;
    this.objects = objects;
    this.linkStore = linkStore;
    this.ledger = ledger;
    this.audit = audit;
    this.keys = keys;
    this.settings = settings;
    this.clock = clock;
    this.personIds = personIds;
    this.continuations = continuations;
    this.sleeper = sleeper;
  }

  /** Processes one uploaded object with no deadline. */
  public IngestResult ingest(UploadedObject upload) {
    return ingest(upload, Budget.UNLIMITED);
  }

  /**
   * Processes one uploaded object (or continues it). Throws only for infrastructure failures
   * (retryable) and for a file given up ({@link FileFailedException}).
   */
  public IngestResult ingest(UploadedObject upload, Budget budget) {
    Instant started = clock.instant();
    String fileId = fileId(upload);
    long expiresAt = settings.retention().expiresAtEpochSecond();
    IncomingKey key = IncomingKey.parse(upload.key());

    Optional<ReasonCode> routing = checkRouting(key, upload.principal());
    if (routing.isPresent()) {
      ValidationReport report =
          ValidationReport.rejected(key == null ? null : key.dataset(), routing.get());
      return finish(upload, key, fileId, report, null, Outcome.REJECTED, started, null);
    }

    FileLedger.Claim claim = acquire(fileId, expiresAt);
    if (claim instanceof FileLedger.Done) {
      return finish(upload, key, fileId, null, null, Outcome.DUPLICATE, started, null);
    }
    if (claim instanceof FileLedger.Failed failed) {
      // Given up before: the partner has its FAILED report. Fail loudly again (alarm), no work.
      objects.deleteVersion(upload.bucket(), upload.key(), upload.eTag(), upload.versionId());
      throw new FileFailedException(fileId, failed.failures());
    }
    FileLedger.Owned attempt = (FileLedger.Owned) claim;
    if (attempt.failures() >= settings.maxFailures()) {
      giveUp(
          upload,
          key,
          fileId,
          attempt.resumeFrom(),
          attempt.attemptId(),
          attempt.failures(),
          "AttemptsCrashed",
          started);
    }

    Progress progress = new Progress(fileId, attempt, budget, expiresAt);
    try {
      return validateAndLink(upload, key, fileId, expiresAt, started, attempt, progress);
    } catch (ObjectStore.ObjectChangedException e) {
      return superseded(upload, key, fileId, expiresAt, started, attempt, progress.linkedSoFar);
    } catch (LeaseLostException e) {
      throw e; // another attempt owns the file now; its state is not ours to touch
    } catch (RuntimeException e) {
      throw attemptFailed(upload, key, fileId, attempt, progress.linkedSoFar, e, started);
    }
  }

  /** Begins an attempt, waiting a bounded time for another live attempt of the same file. */
  private FileLedger.Claim acquire(String fileId, long expiresAt) {
    long waitedMillis = 0;
    while (true) {
      FileLedger.Claim claim =
          ledger.begin(fileId, clock.instant(), settings.processingLease(), expiresAt);
      if (!(claim instanceof FileLedger.Held)) {
        return claim;
      }
      if (waitedMillis >= settings.leaseWait().toMillis()) {
        LOG.atWarn()
            .addKeyValue("event", "ingest.lease_held")
            .addKeyValue("fileId", fileId)
            .log("another attempt still holds this file; failing so the delivery is retried");
        throw new FileBusyException(fileId);
      }
      sleeper.sleep(LEASE_POLL);
      waitedMillis += LEASE_POLL.toMillis();
    }
  }

  private IngestResult validateAndLink(
      UploadedObject upload,
      IncomingKey key,
      String fileId,
      long expiresAt,
      Instant started,
      FileLedger.Owned attempt,
      Progress progress) {
    DatasetContract contract = contracts.find(key.dataset()).orElseThrow();
    ValidationReport dryRun = validate(upload, contract, row -> {});
    if (dryRun.status() == ValidationReport.Status.REJECTED) {
      return finish(upload, key, fileId, dryRun, null, Outcome.REJECTED, started, attempt);
    }

    LinkStats stats = new LinkStats();
    LinkContext context = new LinkContext(key.partner(), key.dataset(), fileId, expiresAt);
    Linker linker =
        new Linker(
            linkStore,
            personIds,
            clock,
            settings.probabilisticTier() ? keys.newSeal() : null, // no seal: tiers 1-2 only
            new uk.familylink.domain.linkage.MatchScorer(settings.matchModel()));
    RowPseudonymiser pseudonymiser =
        new RowPseudonymiser(keys.newTokeniser(), keys.newEncoder(), key.dataset());
    List<PseudonymisedRow> chunk = new ArrayList<>(settings.chunkSize());
    long resumeAfter = attempt.resumeFrom().lastRow();
    ValidationReport report;
    try {
      report =
          validate(
              upload,
              contract,
              row -> {
                if (row.rowNumber() <= resumeAfter) {
                  return; // linked by an earlier attempt (checkpoint)
                }
                chunk.add(pseudonymiser.pseudonymise(row));
                if (chunk.size() == settings.chunkSize()) {
                  linkChunk(linker, chunk, context, stats, progress, true);
                }
              });
      linkChunk(linker, chunk, context, stats, progress, false);
    } catch (Pause pause) {
      return paused(upload, fileId, attempt, progress.linkedSoFar, stats);
    }
    requireSameDecision(fileId, dryRun, report);
    return finish(
        upload,
        key,
        fileId,
        report,
        stats,
        report.status() == ValidationReport.Status.ACCEPTED
            ? Outcome.ACCEPTED
            : Outcome.ACCEPTED_WITH_ERRORS,
        started,
        attempt);
  }

  private void linkChunk(
      Linker linker,
      List<PseudonymisedRow> chunk,
      LinkContext context,
      LinkStats stats,
      Progress progress,
      boolean morePossible) {
    if (chunk.isEmpty()) {
      return;
    }
    linker.link(chunk, context, stats);
    long lastRow = chunk.get(chunk.size() - 1).rowNumber();
    chunk.clear();
    progress.linked(lastRow, stats, morePossible);
  }

  /**
   * One decision per file: the linking pass must have read the same bytes and reached the same
   * verdicts as the deciding pass (same hash, byte count, status and row counts). If not, the file
   * fails loudly (an error log and an exception, so the invocation fails, is retried and ends in
   * the alarmed failure path) instead of being reported as pass 1 decided.
   */
  static void requireSameDecision(String fileId, ValidationReport pass1, ValidationReport pass2) {
    List<String> differ = new ArrayList<>();
    if (!java.util.Objects.equals(pass1.sha256(), pass2.sha256())) {
      differ.add("sha256");
    }
    if (pass1.bytes() != pass2.bytes()) {
      differ.add("bytes");
    }
    if (pass1.status() != pass2.status()) {
      differ.add("status");
    }
    if (pass1.rowsTotal() != pass2.rowsTotal()) {
      differ.add("rowsTotal");
    }
    if (pass1.rowsValid() != pass2.rowsValid()) {
      differ.add("rowsValid");
    }
    if (pass1.rowsInvalid() != pass2.rowsInvalid()) {
      differ.add("rowsInvalid");
    }
    if (!differ.isEmpty()) {
      LOG.atError()
          .addKeyValue("event", "ingest.pass_mismatch")
          .addKeyValue("fileId", fileId)
          .addKeyValue("differ", String.join(",", differ))
          .log("the linking pass did not see what the deciding pass saw");
      throw new PassMismatchException(differ);
    }
  }

  /** Pass 2 of a file disagreed with pass 1; names the fields that differ, never any content. */
  public static final class PassMismatchException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PassMismatchException(List<String> differ) {
      super("pass 2 of the file differs from pass 1 in " + String.join(", ", differ));
    }
  }

  /**
   * Tracks the attempt's progress: renews the lease with a checkpoint every third of the lease, and
   * stops the pass when the invocation is about to run out of time (with a continuation).
   */
  private final class Progress {
    private final String fileId;
    private final FileLedger.Owned attempt;
    private final Budget budget;
    private final long expiresAt;
    private Instant lastRenewal;
    private long rowsThisAttempt;
    private FileLedger.Checkpoint linkedSoFar;

    Progress(String fileId, FileLedger.Owned attempt, Budget budget, long expiresAt) {
      this.fileId = fileId;
      this.attempt = attempt;
      this.budget = budget;
      this.expiresAt = expiresAt;
      this.lastRenewal = clock.instant();
      this.linkedSoFar = attempt.resumeFrom();
    }

    /** After a chunk: {@code morePossible} is false for the file's last chunk (never pauses). */
    void linked(long row, LinkStats stats, boolean morePossible) {
      long before = rowsThisAttempt;
      rowsThisAttempt = stats.rowsLinked();
      linkedSoFar = new FileLedger.Checkpoint(row, totals(attempt.resumeFrom(), stats));
      if (before / settings.progressEveryRows() != rowsThisAttempt / settings.progressEveryRows()) {
        LOG.atInfo()
            .addKeyValue("event", "ingest.progress")
            .addKeyValue("fileId", fileId)
            .addKeyValue("rowsLinked", rowsThisAttempt)
            .log("ingest progress");
      }
      boolean pause =
          morePossible
              && continuations.enabled()
              && budget.remainingMillis() < settings.continuationMargin().toMillis();
      Instant now = clock.instant();
      if (pause
          || Duration.between(lastRenewal, now).compareTo(settings.processingLease().dividedBy(3))
              >= 0) {
        checkpoint(now);
      }
      if (pause) {
        throw new Pause();
      }
    }

    void checkpoint(Instant now) {
      if (!ledger.renew(
          fileId, attempt.attemptId(), now, settings.processingLease(), linkedSoFar, expiresAt)) {
        throw new LeaseLostException(fileId);
      }
      lastRenewal = now;
    }
  }

  /** Stops the linking pass from inside the validator's row callback. */
  private static final class Pause extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Pause() {
      super("pausing for a continuation", null, false, false);
    }
  }

  /** Checkpointed (in {@link Progress#linked}); the lease is handed to the continuation. */
  private IngestResult paused(
      UploadedObject upload,
      String fileId,
      FileLedger.Owned attempt,
      FileLedger.Checkpoint checkpoint,
      LinkStats stats) {
    long expiresAt = settings.retention().expiresAtEpochSecond();
    ledger.release(fileId, attempt.attemptId(), clock.instant(), false, checkpoint, expiresAt);
    continuations.request(upload);
    LOG.atInfo()
        .addKeyValue("event", "ingest.continued")
        .addKeyValue("fileId", fileId)
        .addKeyValue("lastRow", checkpoint.lastRow())
        .addKeyValue("rowsLinked", stats.rowsLinked())
        .log("invocation time running out; the rest of the file continues in a new invocation");
    recordMetrics(Outcome.CONTINUED, null, stats, null);
    return new IngestResult(fileId, Outcome.CONTINUED, null, stats);
  }

  /**
   * The attempt failed: its lease is given back (counting a failure) so the retry starts at once
   * from the last checkpoint; the last allowed failure gives the file up. Returns what to throw.
   */
  private RuntimeException attemptFailed(
      UploadedObject upload,
      IncomingKey key,
      String fileId,
      FileLedger.Owned attempt,
      FileLedger.Checkpoint checkpoint,
      RuntimeException cause,
      Instant started) {
    long expiresAt = settings.retention().expiresAtEpochSecond();
    int failures;
    try {
      failures =
          ledger.release(fileId, attempt.attemptId(), clock.instant(), true, checkpoint, expiresAt);
    } catch (RuntimeException e) {
      cause.addSuppressed(e); // the lease runs out instead; the next attempt counts the failure
      return cause;
    }
    LOG.atWarn()
        .addKeyValue("event", "ingest.attempt_failed")
        .addKeyValue("fileId", fileId)
        .addKeyValue("failures", failures)
        .addKeyValue("errorType", cause.getClass().getName())
        .log("ingest attempt failed; a retry resumes from the last checkpoint");
    if (failures >= settings.maxFailures()) {
      try {
        giveUp(
            upload,
            key,
            fileId,
            checkpoint,
            attempt.attemptId(),
            failures,
            cause.getClass().getSimpleName(),
            started);
      } catch (FileFailedException given) {
        given.addSuppressed(cause);
        return given;
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
        return cause;
      }
    }
    return cause;
  }

  /**
   * The file cannot be finished: tell the partner (FAILED report), record it (audit), mark it given
   * up, delete the upload (P2) and fail the invocation into the alarmed failure path.
   */
  private void giveUp(
      UploadedObject upload,
      IncomingKey key,
      String fileId,
      FileLedger.Checkpoint linkedSoFar,
      String attemptId,
      int failures,
      String errorType,
      Instant started) {
    long expiresAt = settings.retention().expiresAtEpochSecond();
    Map<String, Long> done = linkedSoFar.counts();
    String json =
        "{\n  \"status\": \"FAILED\",\n  \"dataset\": \""
            + key.dataset()
            + "\",\n  \"reason\": \"PROCESSING_FAILED\",\n  \"attempts\": "
            + failures
            + ",\n  \"error\": \""
            + errorType
            + "\"\n}\n";
    String text =
        "FAILED. FamilyLink could not finish processing this file after "
            + failures
            + " attempts ("
            + errorType
            + "). Some rows may already have been linked; uploading the same file again is safe"
            + " and completes it. The service team has been alerted.\n";
    objects.put(
        upload.bucket(),
        key.reportKey(upload.versionTag(), "json"),
        json.getBytes(StandardCharsets.UTF_8),
        "application/json");
    objects.put(
        upload.bucket(),
        key.reportKey(upload.versionTag(), "txt"),
        text.getBytes(StandardCharsets.UTF_8),
        "text/plain; charset=utf-8");
    Instant finished = clock.instant();
    audit.append(
        new AuditEvent.Ingest(
                Outcome.FAILED.name(),
                auditedFile(upload, key, fileId),
                -1,
                null,
                done,
                0,
                0,
                failures,
                errorType,
                Duration.between(started, finished).toMillis())
            .entry(finished, expiresAt));
    ledger.giveUp(fileId, attemptId, finished, expiresAt);
    objects.deleteVersion(upload.bucket(), upload.key(), upload.eTag(), upload.versionId());
    LOG.atError()
        .addKeyValue("event", "ingest.failed_for_good")
        .addKeyValue("fileId", fileId)
        .addKeyValue("failures", failures)
        .addKeyValue("errorType", errorType)
        .log("file given up after repeated failures; FAILED report written");
    recordMetrics(Outcome.FAILED, null, null, Duration.between(started, finished));
    throw new FileFailedException(fileId, failures);
  }

  /**
   * The pinned version is gone (a versionless store: the object was replaced after its event was
   * sent, or between two windows of a read). The newer upload has an event of its own, so this one
   * processes nothing further and deletes nothing: deleting would destroy the newer upload before
   * it is read. Rows already linked from the replaced version (it changed mid-read) stand as they
   * would had it finished, are counted in the audit entry, and the newer upload re-links its key.
   */
  private IngestResult superseded(
      UploadedObject upload,
      IncomingKey key,
      String fileId,
      long expiresAt,
      Instant started,
      FileLedger.Owned attempt,
      FileLedger.Checkpoint linkedSoFar) {
    Instant finished = clock.instant();
    audit.append(
        new AuditEvent.Ingest(
                Outcome.SUPERSEDED.name(),
                auditedFile(upload, key, fileId),
                -1,
                null,
                linkedSoFar.counts(),
                0,
                0,
                0,
                null,
                Duration.between(started, finished).toMillis())
            .entry(finished, expiresAt));
    ledger.complete(fileId, attempt.attemptId(), Outcome.SUPERSEDED.name(), finished, expiresAt);
    LOG.atInfo()
        .addKeyValue("event", "ingest.superseded")
        .addKeyValue("fileId", fileId)
        .addKeyValue("objectKeyHash", objectKeyHash(upload.key()))
        .log("object changed since its event; left to its newer event");
    recordMetrics(Outcome.SUPERSEDED, null, null, Duration.between(started, finished));
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
      UploadedObject upload, DatasetContract contract, Consumer<ValidatedRow> sink) {
    ExtractValidator validator =
        new ExtractValidator(contract, settings.validationPolicy(contract), clock);
    try (InputStream in =
        objects.open(upload.bucket(), upload.key(), upload.eTag(), upload.versionId())) {
      return validator.validate(in, sink);
    } catch (IOException e) {
      throw new UncheckedIOException("reading upload failed: " + objectKeyHash(upload.key()), e);
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
      FileLedger.Owned attempt) {
    long expiresAt = settings.retention().expiresAtEpochSecond();
    if (report != null) {
      String base = key != null ? null : "reports/_unrouted/" + fileId + ".report.";
      objects.put(
          upload.bucket(),
          key != null ? key.reportKey(upload.versionTag(), "json") : base + "json",
          report.toJson().getBytes(StandardCharsets.UTF_8),
          "application/json");
      objects.put(
          upload.bucket(),
          key != null ? key.reportKey(upload.versionTag(), "txt") : base + "txt",
          report.toSummaryText().getBytes(StandardCharsets.UTF_8),
          "text/plain; charset=utf-8");
    }
    Instant finished = clock.instant();
    AuditEvent.FileValidation validation = null;
    if (report != null) {
      Map<String, Long> byReason = new LinkedHashMap<>();
      report.counts().forEach((reason, count) -> byReason.put(reason.name(), (long) count));
      validation =
          new AuditEvent.FileValidation(
              report.bytes(),
              report.bytesReadToEnd(),
              report.sha256(),
              report.rowsTotal(),
              report.rowsValid(),
              report.rowsInvalid(),
              report.rowsKeptWithIssues(),
              byReason);
    }
    AuditEntry entry =
        new AuditEvent.Ingest(
                outcome.name(),
                auditedFile(upload, key, fileId),
                upload.size(),
                validation,
                stats == null ? Map.of() : totals(attempt.resumeFrom(), stats),
                stats == null ? 0 : attempt.resumeFrom().lastRow(),
                stats == null ? 0 : attempt.failures(),
                0,
                null,
                Duration.between(started, finished).toMillis())
            .entry(finished, expiresAt);
    audit.append(entry);
    if (attempt != null) {
      ledger.complete(fileId, attempt.attemptId(), outcome.name(), finished, expiresAt);
    }
    // P2: the upload never lingers, whatever the outcome; only this exact version is deleted.
    if (!objects.deleteVersion(upload.bucket(), upload.key(), upload.eTag(), upload.versionId())) {
      LOG.atInfo()
          .addKeyValue("event", "ingest.newer_upload_kept")
          .addKeyValue("fileId", fileId)
          .log("the object was replaced meanwhile; the newer upload waits for its own event");
    }
    var event = LOG.atInfo().addKeyValue("event", "ingest.done");
    for (Map.Entry<String, Object> e : entry.details().entrySet()) {
      event = event.addKeyValue(e.getKey(), e.getValue());
    }
    event.log("ingest finished");
    recordMetrics(outcome, report, stats, Duration.between(started, finished));
    return new IngestResult(fileId, outcome, report, stats);
  }

  /** The service's metrics, for the handler to flush once per invocation. */
  public Metrics metrics() {
    return metrics;
  }

  /**
   * One file's (or one continued invocation's) counts: the file by outcome; its rows, once, when
   * the file is finished (loaded whole, loaded without a bad cell, rejected: they add up to the
   * rows read); this invocation's linkage (rows linked to an existing person by tier, new persons,
   * merges, composite keys found held by another person, chunks redone after losing a race).
   */
  private void recordMetrics(
      Outcome outcome, ValidationReport report, LinkStats stats, Duration duration) {
    metrics.count("Files" + Metrics.camel(outcome.name()), 1);
    if (report != null) {
      metrics.count("RowsAccepted", report.rowsValid() - report.rowsKeptWithIssues());
      metrics.count("RowsDroppedCell", report.rowsKeptWithIssues());
      metrics.count("RowsRejected", report.rowsInvalid());
    }
    if (stats != null) {
      metrics.count("RowsLinked", stats.rowsLinked());
      metrics.count("LinksTier1", stats.linkedByStrongKey());
      metrics.count("LinksTier2", stats.linkedByComposite());
      metrics.count("PersonsCreated", stats.newPersons());
      metrics.count("Merges", stats.merges());
      metrics.count("Conflicts", stats.ambiguousComposites());
      metrics.count("RaceRetries", stats.retries());
    }
    if (duration != null) {
      metrics.millis("IngestDuration", duration.toMillis());
    }
  }

  /** Identifies the file without its partner-chosen name (which may contain a person's name). */
  private static AuditEvent.IngestedFile auditedFile(
      UploadedObject upload, IncomingKey key, String fileId) {
    return new AuditEvent.IngestedFile(
        fileId,
        objectKeyHash(upload.key()),
        upload.versionTag(),
        key == null ? null : key.partner(),
        key == null ? null : key.dataset());
  }

  /** Linkage counts of earlier attempts (checkpoint) plus this attempt's. */
  private static Map<String, Long> totals(FileLedger.Checkpoint before, LinkStats stats) {
    Map<String, Long> now = new LinkedHashMap<>();
    now.put("rowsLinked", stats.rowsLinked());
    now.put("personsCreated", stats.newPersons());
    now.put("linkedToExisting", stats.linkedToExisting());
    now.put("merges", stats.merges());
    now.put("linksReleased", stats.linksReleased());
    now.put("itemsWritten", stats.itemsWritten());
    now.put("raceRetries", stats.retries());
    now.put("probabilisticLinks", stats.probabilisticLinks());
    now.put("possibleLinks", stats.possibleLinks());
    now.put("householdLinks", stats.householdLinks());
    now.put("reviewsQueued", stats.reviewsQueued());
    now.put("bridgingMerges", stats.bridgingMerges());
    now.put("bridgesRefused", stats.bridgesRefused());
    now.put("mergesSplit", stats.mergesSplit());
    now.put("indexEntriesFiled", stats.indexEntriesFiled());
    now.put("indexEntriesSkipped", stats.indexEntriesSkipped());
    now.put("reviewsBridged", stats.reviewsBridged());
    now.put("identifierConflicts", stats.identifierConflicts());
    now.put("blocksCapped", stats.blocksCapped());
    before.counts().forEach((k, v) -> now.merge(k, v, Long::sum));
    return now;
  }

  /**
   * Stable identity of one object version: the same version always gets the same ID, and a new
   * upload under the same key never does. S3's version id when the bucket keeps versions; otherwise
   * the event's sequencer (which orders the PUTs of one key) with the ETag.
   */
  public static String fileId(UploadedObject upload) {
    String version;
    if (upload.versionId() != null) {
      version = "v:" + upload.versionId();
    } else if (upload.sequencer() != null) {
      version = upload.eTag() + "\ns:" + upload.sequencer();
    } else {
      version = upload.eTag();
    }
    return sha256Hex(upload.bucket() + "\n" + upload.key() + "\n" + version);
  }

  /** What logs and the audit say instead of the object key (P1: names may be in file names). */
  public static String objectKeyHash(String key) {
    return sha256Hex("object-key\n" + key);
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(text.getBytes(StandardCharsets.UTF_8));
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
    SUPERSEDED,
    /** Checkpointed; a continuation links the rest. */
    CONTINUED,
    /** Given up after repeated failures (also thrown, as {@link FileFailedException}). */
    FAILED
  }

  /**
   * What happened to one upload. {@code report} and {@code linkage} are null when not applicable.
   */
  public record IngestResult(
      String fileId, Outcome outcome, ValidationReport report, LinkStats linkage) {}

  /**
   * An object version named by an S3 event (key already URL-decoded). {@code versionId} is S3's
   * version id (null from an unversioned bucket); {@code sequencer} the event's ordering token.
   */
  public record UploadedObject(
      String bucket,
      String key,
      long size,
      String eTag,
      String principal,
      String versionId,
      String sequencer) {

    public UploadedObject(String bucket, String key, long size, String eTag, String principal) {
      this(bucket, key, size, eTag, principal, null, null);
    }

    public UploadedObject {
      versionId = versionId == null || versionId.isBlank() ? null : versionId;
      sequencer = sequencer == null || sequencer.isBlank() ? null : sequencer;
    }

    /**
     * Names this version in its report key: {@code v<version id>}, {@code s<sequencer>}, or null
     * (neither known: the plain report key).
     */
    public String versionTag() {
      String tag = versionId != null ? "v" + versionId : sequencer != null ? "s" + sequencer : null;
      if (tag == null) {
        return null;
      }
      return tag.matches("[A-Za-z0-9._-]{1,80}") ? tag : "h" + sha256Hex(tag);
    }
  }

  /** The file was given up after repeated failures; fails the invocation into the alarm path. */
  public static final class FileFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FileFailedException(String fileId, int failures) {
      super("file " + fileId + " given up after " + failures + " failed attempts");
    }
  }

  /** Another live attempt kept the file's lease for longer than the wait; retried later. */
  public static final class FileBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FileBusyException(String fileId) {
      super("file " + fileId + " is still being processed by another attempt");
    }
  }

  /** This attempt's lease ran out and another attempt took the file over. */
  public static final class LeaseLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(String fileId) {
      super("lost the lease on file " + fileId + " to another attempt");
    }
  }
}
