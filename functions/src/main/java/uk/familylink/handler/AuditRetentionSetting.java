package uk.familylink.handler;

import java.time.Period;
import java.util.List;
import java.util.Map;
import uk.familylink.domain.retention.SweepSettings;

/**
 * How long evidence of destruction outlives the data it describes ({@value #VARIABLE}, whole years,
 * default {@link SweepSettings#DEFAULT_AUDIT_RETENTION}). Read by every function that writes such
 * evidence — the retention sweep (DESTRUCTION, RESTAMP) and the TTL-evidence function
 * (TTL_DELETIONS) — from one parameter, so neither kind of evidence expires before the other.
 */
final class AuditRetentionSetting {

  static final String VARIABLE = "FAMILYLINK_AUDIT_RETENTION_YEARS";

  private AuditRetentionSetting() {}

  /** The configured period; a malformed value is added to {@code problems}. */
  static Period read(Map<String, String> env, List<String> problems) {
    String years = env.get(VARIABLE);
    if (years == null || years.isBlank()) {
      return SweepSettings.DEFAULT_AUDIT_RETENTION;
    }
    try {
      int n = Integer.parseInt(years.trim());
      if (n >= 0 && n <= 100) {
        return Period.ofYears(n);
      }
      problems.add(VARIABLE + " must be between 0 and 100");
    } catch (NumberFormatException e) {
      problems.add(VARIABLE + " must be a whole number of years");
    }
    return SweepSettings.DEFAULT_AUDIT_RETENTION;
  }
}
