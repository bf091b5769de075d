package uk.familylink.domain.outcome;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.outcome.InterventionOutcome.Result;
import uk.familylink.domain.outcome.NeedOutcome.After;

/**
 * Outcomes of an intervention, from the family's evidence dates (windows in {@link
 * OutcomeSettings}; all bounds inclusive unless said otherwise):
 *
 * <ol>
 *   <li><b>At the start</b>: the needs identified at assessment (the episode's own rows) and every
 *       need evidenced in [referral − startLookBack, referral].
 *   <li><b>At closure</b>: a need is still present when evidence other than the episode's own rows,
 *       dated after the referral, falls in [closure − closureWindow, closure]. A need evidenced on
 *       the closure day is present at closure.
 *   <li><b>Sustained</b>: no evidence of the need in (closure, closure + sustainWindow]; evidence
 *       on the closure day is not "after"; evidence on exactly closure + sustainWindow is inside.
 *       Until the as-of date reaches closure + sustainWindow a need with no evidence yet is
 *       PENDING.
 *   <li><b>Significant and sustained progress</b>: every need identified at the start resolved at
 *       closure and sustained. Needs that arise later are reported but do not change the result.
 * </ol>
 *
 * Evidence dated after the as-of date is ignored (it cannot be known on that date).
 */
public final class OutcomeRule {

  private final OutcomeSettings settings;

  public OutcomeRule(OutcomeSettings settings) {
    this.settings = settings;
  }

  public InterventionOutcome assess(
      String familyId, Episode episode, List<LinkedRecord> familyRecords, LocalDate asOf) {
    LocalDate referral = episode.referral();
    LocalDate closure = episode.closure();
    if (closure != null && closure.isAfter(asOf)) {
      closure = null; // not closed yet on the as-of date
    }
    Set<Need> start = EnumSet.noneOf(Need.class);
    start.addAll(episode.needsIdentified());
    Set<Need> atClosure = EnumSet.noneOf(Need.class);
    Set<Need> after = EnumSet.noneOf(Need.class);
    LocalDate startFrom = referral.minus(settings.startLookBack());
    LocalDate closureFrom = closure == null ? null : closure.minus(settings.closureWindow());
    LocalDate sustainEnd = closure == null ? null : closure.plus(settings.sustainWindow());
    for (LinkedRecord r : familyRecords) {
      LocalDate d = r.eventDate();
      if (d == null || d.isAfter(asOf) || r.indicators().isEmpty()) {
        continue;
      }
      if (!d.isBefore(startFrom) && !d.isAfter(referral)) {
        start.addAll(r.indicators());
      }
      if (closure == null || episode.recordTokens().contains(r.recordToken())) {
        continue;
      }
      if (d.isAfter(referral) && !d.isBefore(closureFrom) && !d.isAfter(closure)) {
        atClosure.addAll(r.indicators());
      }
      if (d.isAfter(closure) && !d.isAfter(sustainEnd)) {
        after.addAll(r.indicators());
      }
    }
    boolean elapsed = closure != null && !asOf.isBefore(sustainEnd);
    Set<Need> all = EnumSet.noneOf(Need.class);
    all.addAll(start);
    all.addAll(atClosure);
    all.addAll(after);
    List<NeedOutcome> needs = new ArrayList<>(all.size());
    for (Need need : all) {
      After a;
      if (closure == null) {
        a = After.NOT_APPLICABLE;
      } else if (after.contains(need)) {
        a = After.RECURRED;
      } else {
        a = elapsed ? After.SUSTAINED : After.PENDING;
      }
      needs.add(new NeedOutcome(need, start.contains(need), atClosure.contains(need), a));
    }
    return new InterventionOutcome(
        familyId, referral, closure, sustainEnd, List.copyOf(needs), result(closure, needs));
  }

  private static Result result(LocalDate closure, List<NeedOutcome> needs) {
    if (closure == null) {
      return Result.OPEN;
    }
    List<NeedOutcome> start = needs.stream().filter(NeedOutcome::atStart).toList();
    if (start.isEmpty()) {
      return Result.NO_START_NEEDS;
    }
    if (start.stream().anyMatch(n -> n.atClosure() || n.afterClosure() == After.RECURRED)) {
      return Result.NOT_ACHIEVED;
    }
    if (start.stream().anyMatch(n -> n.afterClosure() == After.PENDING)) {
      return Result.PENDING;
    }
    return Result.SIGNIFICANT_AND_SUSTAINED;
  }
}
