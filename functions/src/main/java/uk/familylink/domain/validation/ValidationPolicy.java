package uk.familylink.domain.validation;

import uk.familylink.domain.contract.ContractLimits;

/**
 * Limits applied to one extract. A contract's {@code limits} override these per dataset ({@link
 * #overriddenBy(ContractLimits)}).
 *
 * @param maxBytes larger files are rejected (FILE_TOO_LARGE) without reading further
 * @param maxRows files with more data rows are rejected (TOO_MANY_ROWS)
 * @param maxFieldLength a longer cell is a bad value (FIELD_TOO_LONG, left out like any bad value);
 *     cells far longer (see {@link #hardFieldLimit()}) reject the file without being buffered
 * @param maxInvalidShare a file whose invalid rows / rows exceeds this is rejected
 *     (TOO_MANY_INVALID_ROWS)
 * @param maxListedIssues at most this many row issues are listed in a report (counts stay exact)
 */
public record ValidationPolicy(
    long maxBytes, long maxRows, int maxFieldLength, double maxInvalidShare, int maxListedIssues) {

  /** 2 GiB, 10 million rows, 256 characters a cell, 5% invalid rows, 1000 listed issues. */
  public static final ValidationPolicy DEFAULTS =
      new ValidationPolicy(2L * 1024 * 1024 * 1024, 10_000_000L, 256, 0.05, 1000);

  public ValidationPolicy {
    if (maxBytes < 1
        || maxRows < 1
        || maxFieldLength < 1
        || maxListedIssues < 0
        || !(maxInvalidShare >= 0 && maxInvalidShare <= 1)) {
      throw new IllegalArgumentException("invalid validation policy");
    }
  }

  /** This policy with the contract's limits applied where it sets them. */
  public ValidationPolicy overriddenBy(ContractLimits limits) {
    if (limits == null) {
      return this;
    }
    return new ValidationPolicy(
        limits.maxBytes() != null ? limits.maxBytes() : maxBytes,
        limits.maxRows() != null ? limits.maxRows() : maxRows,
        limits.maxFieldLength() != null ? limits.maxFieldLength() : maxFieldLength,
        limits.maxInvalidShare() != null ? limits.maxInvalidShare() : maxInvalidShare,
        maxListedIssues);
  }

  /**
   * The longest cell the CSV parser will buffer (characters). A cell beyond it rejects the file
   * (FIELD_TOO_LONG) instead of growing memory; between maxFieldLength and this it only makes its
   * row invalid.
   */
  public int hardFieldLimit() {
    return (int) Math.min(Integer.MAX_VALUE / 8, Math.max(64 * 1024L, 4L * maxFieldLength));
  }

  /**
   * The longest line (characters, separators and quotes included) read before the file is rejected
   * (ROW_TOO_LONG): four cells at the hard limit. Like {@link #hardFieldLimit()} it is counted
   * while streaming, so the outcome never depends on how the file's bytes arrive.
   */
  public int hardRecordLimit() {
    return 4 * hardFieldLimit();
  }
}
