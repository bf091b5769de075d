package uk.familylink.domain.retention;

import java.time.Instant;
import java.time.LocalDate;
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

  /** The TTL attribute value: a Number of epoch seconds. */
  public long expiresAtEpochSecond() {
    return expiresAt().getEpochSecond();
  }
}
