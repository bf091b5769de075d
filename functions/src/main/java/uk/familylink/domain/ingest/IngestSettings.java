package uk.familylink.domain.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.validation.ValidationPolicy;

/**
 * Ingest tunables, read once at start-up.
 *
 * @param maxInvalidShare share of invalid rows above which a whole file is rejected (a contract may
 *     set its own)
 * @param chunkSize rows linked per batch read/write (bounded memory, fewer round trips)
 * @param partnerPrincipals partner -> expected uploader principal ID; when empty the uploader check
 *     is off (local mode); when set, a partner without an entry is refused
 * @param processingLease how long an attempt owns a file without renewing (renewed every third of
 *     it while chunks are linked), so a crashed attempt blocks its retry at most this long
 * @param leaseWait how long a delivery waits for another live attempt of the same file before it
 *     fails (and is retried); a concurrent duplicate normally sees the other attempt finish
 * @param maxFailures failed or crashed attempts after which the file is given up: FAILED report,
 *     audit entry, and the invocation fails into the alarmed failure destination
 * @param continuationMargin with a continuation configured, an attempt stops linking when less than
 *     this much invocation time is left, checkpoints, and hands the rest to a continuation
 * @param matchModel the tier-3 model rows are scored with ({@link MatchModel#shipped()} unless a
 *     measurement compares models)
 * @param probabilisticTier whether tier 3 runs (always, except where a measurement compares the
 *     deterministic tiers alone with the whole linker: {@code bench store --tier-compare})
 */
public record IngestSettings(
    RetentionPolicy retention,
    double maxInvalidShare,
    int chunkSize,
    Duration processingLease,
    int progressEveryRows,
    Map<String, String> partnerPrincipals,
    Duration leaseWait,
    int maxFailures,
    Duration continuationMargin,
    MatchModel matchModel,
    boolean probabilisticTier) {

  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);
  public static final int DEFAULT_MAX_FAILURES = 3;
  public static final Duration DEFAULT_CONTINUATION_MARGIN = Duration.ofSeconds(90);

  public IngestSettings(
      RetentionPolicy retention,
      double maxInvalidShare,
      int chunkSize,
      Duration processingLease,
      int progressEveryRows,
      Map<String, String> partnerPrincipals) {
    this(
        retention,
        maxInvalidShare,
        chunkSize,
        processingLease,
        progressEveryRows,
        partnerPrincipals,
        processingLease.plusSeconds(30),
        DEFAULT_MAX_FAILURES,
        DEFAULT_CONTINUATION_MARGIN,
        MatchModel.shipped(),
        true);
  }

  public IngestSettings {
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(processingLease, "processingLease");
    Objects.requireNonNull(leaseWait, "leaseWait");
    Objects.requireNonNull(continuationMargin, "continuationMargin");
    Objects.requireNonNull(matchModel, "matchModel");
    if (processingLease.toMillis() < 1000) {
      throw new IllegalArgumentException("processingLease must be at least a second");
    }
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be at least 1");
    }
    if (maxInvalidShare < 0 || maxInvalidShare > 1) {
      throw new IllegalArgumentException("maxInvalidShare must be between 0 and 1");
    }
    if (chunkSize < 1 || chunkSize > 10_000) {
      throw new IllegalArgumentException("chunkSize must be between 1 and 10000");
    }
    partnerPrincipals = Map.copyOf(partnerPrincipals);
  }

  public static IngestSettings defaults(RetentionPolicy retention) {
    return new IngestSettings(retention, 0.05, 250, DEFAULT_LEASE, 100_000, Map.of());
  }

  public IngestSettings withPartnerPrincipals(Map<String, String> principals) {
    return new IngestSettings(
        retention,
        maxInvalidShare,
        chunkSize,
        processingLease,
        progressEveryRows,
        principals,
        leaseWait,
        maxFailures,
        continuationMargin,
        matchModel,
        probabilisticTier);
  }

  public IngestSettings withMaxInvalidShare(double share) {
    return new IngestSettings(
        retention,
        share,
        chunkSize,
        processingLease,
        progressEveryRows,
        partnerPrincipals,
        leaseWait,
        maxFailures,
        continuationMargin,
        matchModel,
        probabilisticTier);
  }

  public IngestSettings withChunkSize(int rows) {
    return new IngestSettings(
        retention,
        maxInvalidShare,
        rows,
        processingLease,
        progressEveryRows,
        partnerPrincipals,
        leaseWait,
        maxFailures,
        continuationMargin,
        matchModel,
        probabilisticTier);
  }

  /** Lease, wait for a held lease, and failures before giving up (tests use short leases). */
  public IngestSettings withLease(Duration lease, Duration wait, int failures) {
    return new IngestSettings(
        retention,
        maxInvalidShare,
        chunkSize,
        lease,
        progressEveryRows,
        partnerPrincipals,
        wait,
        failures,
        continuationMargin,
        matchModel,
        probabilisticTier);
  }

  public IngestSettings withContinuationMargin(Duration margin) {
    return new IngestSettings(
        retention,
        maxInvalidShare,
        chunkSize,
        processingLease,
        progressEveryRows,
        partnerPrincipals,
        leaseWait,
        maxFailures,
        margin,
        matchModel,
        probabilisticTier);
  }

  public IngestSettings withMatchModel(MatchModel model) {
    return new IngestSettings(
        retention,
        maxInvalidShare,
        chunkSize,
        processingLease,
        progressEveryRows,
        partnerPrincipals,
        leaseWait,
        maxFailures,
        continuationMargin,
        model,
        probabilisticTier);
  }

  /** The deterministic tiers alone, or the whole linker (to measure what tier 3 costs). */
  public IngestSettings withProbabilisticTier(boolean on) {
    return new IngestSettings(
        retention,
        maxInvalidShare,
        chunkSize,
        processingLease,
        progressEveryRows,
        partnerPrincipals,
        leaseWait,
        maxFailures,
        continuationMargin,
        matchModel,
        on);
  }

  /**
   * Whether the event's principal may upload for the partner. S3 reports principals as e.g. {@code
   * AWS:AROAEXAMPLE:session-name}; the configured value matches exactly or as the part before a
   * session suffix.
   */
  public boolean uploaderMatches(String partner, String principal) {
    if (partnerPrincipals.isEmpty()) {
      return true;
    }
    String expected = partnerPrincipals.get(partner);
    if (expected == null || principal == null) {
      return false;
    }
    return principal.equals(expected) || principal.startsWith(expected + ":");
  }

  public ValidationPolicy validationPolicy(DatasetContract contract) {
    ValidationPolicy base = ValidationPolicy.DEFAULTS;
    return new ValidationPolicy(
            base.maxBytes(),
            base.maxRows(),
            base.maxFieldLength(),
            maxInvalidShare,
            base.maxListedIssues())
        .overriddenBy(contract.limits());
  }
}
