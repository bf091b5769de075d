package uk.familylink.domain.outcome;

import java.util.Set;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.need.Need;

/**
 * The programme effect measures of the privacy notice, each read from one dataset's kept values:
 *
 * <ul>
 *   <li>{@link #OFFENDING}: a {@code police-incidents} row with {@code incident_type = OFFENCE};
 *   <li>{@link #UNAUTHORISED_ABSENCE}: a {@code school-attendance} row with {@code
 *       unauthorised_absences} at least 1 (kept since contract version 2);
 *   <li>{@link #OUT_OF_WORK_BENEFIT}: a {@code dwp-benefits} row flagged out of work (the
 *       contract's FINANCIAL_STABILITY indicator, which holds exactly when {@code out_of_work} is
 *       true).
 * </ul>
 */
public enum EffectMeasure {
  OFFENDING("police-incidents", "offending (police: offence)"),
  UNAUTHORISED_ABSENCE("school-attendance", "unauthorised school absence"),
  OUT_OF_WORK_BENEFIT("dwp-benefits", "out-of-work benefit claim");

  private final String dataset;
  private final String label;

  EffectMeasure(String dataset, String label) {
    this.dataset = dataset;
    this.label = label;
  }

  public String dataset() {
    return dataset;
  }

  public String label() {
    return label;
  }

  /** Whether the record is evidence of this measure. */
  public boolean evidencedBy(LinkedRecord r) {
    if (!dataset.equals(r.dataset())) {
      return false;
    }
    return switch (this) {
      case OFFENDING -> "OFFENCE".equals(r.attributes().get("incident_type"));
      case UNAUTHORISED_ABSENCE -> positive(r.attributes().get("unauthorised_absences"));
      case OUT_OF_WORK_BENEFIT -> r.indicators().contains(Need.FINANCIAL_STABILITY);
    };
  }

  private static boolean positive(String value) {
    if (value == null) {
      return false;
    }
    try {
      return Long.parseLong(value.trim()) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Datasets the measures read. */
  public static Set<String> datasets() {
    return Set.of("police-incidents", "school-attendance", "dwp-benefits");
  }
}
