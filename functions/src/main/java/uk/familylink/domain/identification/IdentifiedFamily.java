package uk.familylink.domain.identification;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import uk.familylink.domain.need.Need;

/**
 * One family meeting the eligibility rule, for the Supporting Families team: its stable
 * pseudonymous ID, its needs with their evidence trail, and the date it first met the rule.
 *
 * @param firstMet the first event date on which the family's evidence reached the needs threshold
 *     (the dependent-child / expectant-parent condition is judged as of the run); null when the
 *     threshold is reached only with undated evidence
 */
public record IdentifiedFamily(
    String familyId,
    LocalDate firstMet,
    Set<Need> needs,
    boolean dependentChild,
    boolean expectantParent,
    List<Evidence> evidence) {

  /**
   * One item of the trail: which dataset (and the contract version its rule is defined in)
   * evidenced which need on which date. Never a value from the row.
   */
  public record Evidence(Need need, String dataset, int contractVersion, LocalDate eventDate) {}
}
