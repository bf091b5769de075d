package uk.familylink.domain.retention;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The daily retention run: re-stamp first, sweep only when settled. If the configured programme end
 * or retention years differ from the policy the items carry, {@link RetentionRestamp} moves them
 * first; the sweep runs only once every item carries the configured policy, because sweeping half
 * re-stamped data could delete items whose expiry was just moved later. An unfinished re-stamp
 * leaves the sweep to the next run, which continues the re-stamp first.
 *
 * <p>The same rule serves the scheduled Lambda and the local {@code sweep} command.
 */
public final class DailyRetention {

  /**
   * What one run did.
   *
   * @param restamp the re-stamp's result; null when this run has no re-stamp
   * @param sweep the sweep's result; null when the sweep was left for the next run
   */
  public record Outcome(RestampResult restamp, SweepResult sweep) {

    /** True when the sweep ran. */
    public boolean swept() {
      return sweep != null;
    }

    /** True when the re-stamp did or found something worth reporting. */
    public boolean restampWorthReporting() {
      return restamp != null && restamp.status() != RestampResult.Status.UP_TO_DATE;
    }
  }

  private final RetentionRestamp restamp;
  private final RetentionSweep sweep;

  /**
   * The daily run.
   *
   * @param restamp run before the sweep; null to sweep only
   */
  public DailyRetention(RetentionRestamp restamp, RetentionSweep sweep) {
    this.restamp = restamp;
    this.sweep = Objects.requireNonNull(sweep, "sweep");
  }

  /**
   * Runs the re-stamp, then the sweep if the re-stamp settled.
   *
   * @param remainingMillis time left before the caller's deadline, shared by both phases
   */
  public Outcome run(LongSupplier remainingMillis) {
    Objects.requireNonNull(remainingMillis, "remainingMillis");
    RestampResult restamped = restamp == null ? null : restamp.run(remainingMillis);
    if (restamped != null && !restamped.settled()) {
      return new Outcome(restamped, null);
    }
    return new Outcome(restamped, sweep.run(remainingMillis));
  }
}
