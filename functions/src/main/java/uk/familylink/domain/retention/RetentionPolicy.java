package uk.familylink.domain.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * "Destroyed six years after the end of the programme": every item expires at the start of the day
 * after programme end + retention years (UTC), as epoch seconds for DynamoDB TTL.
 */
public record RetentionPolicy(LocalDate programmeEnd, int retentionYears) {

  public static final int DEFAULT_RETENTION_YEARS = 6;

  public RetentionPolicy {
    Objects.requireNonNull(programmeEnd, "programmeEnd");
    if (retentionYears < 0 || retentionYears > 100) {
      throw new IllegalArgumentException(
          "retention years must be between 0 and 100, was " + retentionYears);
    }
  }

  public Instant expiresAt() {
    return programmeEnd
        .plusYears(retentionYears)
        .plusDays(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }

  /**
   * When an evidence entry (destruction, re-stamp, TTL deletions) may itself go: {@code
   * auditRetention} beyond the latest of now, this policy's expiry and any {@code alsoOutlive} (a
   * re-stamp's previous expiry), so evidence never disappears before the data it accounts for. The
   * one place this rule lives.
   */
  public long evidenceExpiresAt(Instant now, Period auditRetention, Instant... alsoOutlive) {
    Objects.requireNonNull(auditRetention, "auditRetention");
    Instant base = now.isAfter(expiresAt()) ? now : expiresAt();
    for (Instant other : alsoOutlive) {
      if (other.isAfter(base)) {
        base = other;
      }
    }
    return base.atZone(ZoneOffset.UTC).plus(auditRetention).toInstant().getEpochSecond();
  }

  /** The TTL attribute value: a Number of epoch seconds. */
  public long expiresAtEpochSecond() {
    return expiresAt().getEpochSecond();
  }
}
