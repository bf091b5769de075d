package uk.familylink.domain.outcome;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import uk.familylink.domain.need.Need;

/**
 * The outcome of one intervention for one family.
 *
 * @param familyId the family's stable pseudonymous ID ({@code FamilyKey.asString()})
 * @param sustainedUntil closure + sustain window (null while open): the day the result can be
 *     judged
 */
public record InterventionOutcome(
    String familyId,
    LocalDate referral,
    LocalDate closure,
    LocalDate sustainedUntil,
    List<NeedOutcome> needs,
    Result result) {

  /** "Significant and sustained progress" (Outcome Framework) and the states before it is known. */
  public enum Result {
    /** Every need identified at the start resolved at closure and sustained. */
    SIGNIFICANT_AND_SUSTAINED,
    /** At least one start need not resolved at closure, or recurred within the sustain window. */
    NOT_ACHIEVED,
    /** Closed, nothing has recurred yet, the sustain window has not elapsed. */
    PENDING,
    /** Not closed yet. */
    OPEN,
    /** No need was evidenced at the start: nothing to claim. */
    NO_START_NEEDS
  }

  public Set<Need> startNeeds() {
    Set<Need> start = java.util.EnumSet.noneOf(Need.class);
    needs.stream().filter(NeedOutcome::atStart).forEach(n -> start.add(n.need()));
    return start;
  }
}
