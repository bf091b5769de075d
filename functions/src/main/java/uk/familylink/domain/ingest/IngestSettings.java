package uk.familylink.domain.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import uk.familylink.domain.contract.DatasetContract;
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
 */
public record IngestSettings(
    RetentionPolicy retention,
    double maxInvalidShare,
    int chunkSize,
    Duration processingLease,
    int progressEveryRows,
    Map<String, String> partnerPrincipals) {

  public IngestSettings {
    Objects.requireNonNull(retention, "retention");
    if (maxInvalidShare < 0 || maxInvalidShare > 1) {
      throw new IllegalArgumentException("maxInvalidShare must be between 0 and 1");
    }
    if (chunkSize < 1 || chunkSize > 10_000) {
      throw new IllegalArgumentException("chunkSize must be between 1 and 10000");
    }
    partnerPrincipals = Map.copyOf(partnerPrincipals);
  }

  public static IngestSettings defaults(RetentionPolicy retention) {
    return new IngestSettings(retention, 0.05, 250, Duration.ofMinutes(16), 100_000, Map.of());
  }

  public IngestSettings withPartnerPrincipals(Map<String, String> principals) {
    return new IngestSettings(
        retention, maxInvalidShare, chunkSize, processingLease, progressEveryRows, principals);
  }

  public IngestSettings withMaxInvalidShare(double share) {
    return new IngestSettings(
        retention, share, chunkSize, processingLease, progressEveryRows, partnerPrincipals);
  }

  public IngestSettings withChunkSize(int rows) {
    return new IngestSettings(
        retention, maxInvalidShare, rows, processingLease, progressEveryRows, partnerPrincipals);
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
