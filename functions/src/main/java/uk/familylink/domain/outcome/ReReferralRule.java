package uk.familylink.domain.outcome;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Re-referrals, DfE children-in-need definition: a referral within 12 months (configurable) of a
 * previous referral of the same subject (a child, or a family). Applied to one subject's referrals
 * from every referral dataset (Early Help and children's social care), oldest first:
 *
 * <ol>
 *   <li><b>Same-day duplicates</b>: a second referral of the subject on the same date (from any
 *       dataset, or several rows of one episode) is one referral: {@link Kind#SAME_DAY_DUPLICATE},
 *       not counted.
 *   <li><b>Referral while a case is open</b>: a referral from a dataset that records closures
 *       (Early Help), made while an earlier case of that dataset for the subject is open (no
 *       closure yet, or the new date on or before its closure), is part of the open case: {@link
 *       Kind#WHILE_OPEN}, not counted. A referral to a different service while a case is open
 *       (Early Help → social care) is a referral and counts.
 *   <li><b>Re-referral</b>: a counted referral whose date minus the window is on or before the date
 *       of the previous counted referral: exactly 12 months after the previous one is a
 *       re-referral, 12 months and a day is not.
 *   <li>Every other counted referral is a {@link Kind#REFERRAL}.
 * </ol>
 */
public final class ReReferralRule {

  /** How a referral counts. */
  public enum Kind {
    REFERRAL,
    RE_REFERRAL,
    SAME_DAY_DUPLICATE,
    WHILE_OPEN;

    public boolean counted() {
      return this == REFERRAL || this == RE_REFERRAL;
    }
  }

  /** A referral with how it counts. */
  public record Verdict(Referral referral, Kind kind) {}

  private final OutcomeSettings settings;

  public ReReferralRule(OutcomeSettings settings) {
    this.settings = settings;
  }

  /** One subject's referrals, classified, oldest first (same-day order: by dataset). */
  public List<Verdict> classify(List<Referral> referrals) {
    List<Referral> sorted = new ArrayList<>(referrals);
    sorted.sort(Comparator.comparing(Referral::date).thenComparing(Referral::dataset));
    List<Verdict> verdicts = new ArrayList<>(sorted.size());
    List<Referral> openable = new ArrayList<>();
    LocalDate previousCounted = null;
    LocalDate previousDate = null;
    for (Referral r : sorted) {
      Kind kind;
      if (r.date().equals(previousDate)) {
        kind = Kind.SAME_DAY_DUPLICATE;
      } else if (openIn(openable, r)) {
        kind = Kind.WHILE_OPEN;
      } else if (previousCounted != null
          && !r.date().minus(settings.reReferralWindow()).isAfter(previousCounted)) {
        kind = Kind.RE_REFERRAL;
      } else {
        kind = Kind.REFERRAL;
      }
      verdicts.add(new Verdict(r, kind));
      previousDate = r.date();
      if (kind.counted()) {
        previousCounted = r.date();
        if (settings.interventionDataset().equals(r.dataset())) {
          openable.add(r);
        }
      }
    }
    return verdicts;
  }

  private boolean openIn(List<Referral> cases, Referral r) {
    if (!settings.interventionDataset().equals(r.dataset())) {
      return false;
    }
    for (Referral c : cases) {
      if (c.dataset().equals(r.dataset())
          && r.date().isAfter(c.date())
          && (c.closure() == null || !r.date().isAfter(c.closure()))) {
        return true;
      }
    }
    return false;
  }
}
