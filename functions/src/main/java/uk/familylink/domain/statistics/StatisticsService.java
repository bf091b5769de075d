package uk.familylink.domain.statistics;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.LongSupplier;
import uk.familylink.domain.audit.AuditEvent;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.disclosure.PublishedRelease;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.family.PopulationProfile;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.outcome.FamilyOutcomes;
import uk.familylink.domain.outcome.OutcomeSettings;

/**
 * Produces a statistics release from the live linked data: family needs profiles and the evaluation
 * outcomes ({@link FamilyOutcomes}: outcomes, re-referrals, effect measures), counted into a {@link
 * StatisticsInput}, protected by {@link DisclosureControl} against the previous release. Reading
 * the whole population is a look at personal-level data, so each run is audited ({@code
 * STATISTICS}: who asked, when, counts only).
 */
public final class StatisticsService {

  public static final String AUDIT_KIND = AuditEvent.Statistics.KIND;

  private final LinkedDataReader reader;
  private final EligibilityRule rule;
  private final OutcomeSettings outcomes;
  private final DisclosureControl control;
  private final Geography geography;
  private final AuditLog audit;
  private final Clock clock;
  private final LongSupplier auditExpiresAt;

  public StatisticsService(
      LinkedDataReader reader,
      EligibilityRule rule,
      OutcomeSettings outcomes,
      DisclosureControl control,
      Geography geography,
      AuditLog audit,
      Clock clock,
      LongSupplier auditExpiresAt) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
    this.control = Objects.requireNonNull(control, "control");
    this.geography = Objects.requireNonNull(geography, "geography");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.auditExpiresAt = Objects.requireNonNull(auditExpiresAt, "auditExpiresAt");
  }

  /**
   * Produces, protects and audits one release.
   *
   * @param requester who asked (a role or schedule name; recorded in the audit)
   * @throws uk.familylink.domain.disclosure.UnsafeReleaseException when no safe release exists
   */
  public StatisticsRelease produce(String requester, PublishedRelease previous) {
    Instant now = clock.instant();
    LocalDate asOf = LocalDate.ofInstant(now, ZoneOffset.UTC);
    // One read of the population serves both the needs tables and the evaluation tables.
    PopulationProfile.Population population = PopulationProfile.histories(reader, now, rule);
    PopulationProfile profile = PopulationProfile.of(population);
    StatisticsInput input =
        EvaluationCounts.fill(
            StatisticsInput.fromProfiles(profile, rule.minimumNeeds(), asOf),
            FamilyOutcomes.of(population.families(), asOf, outcomes));
    StatisticsRelease release = StatisticsRelease.publish(input, geography, control, previous);
    audit.append(
        new AuditEvent.Statistics(
                requester,
                release.asOf(),
                profile.families().size(),
                release.tables().size(),
                release.protection().shown().size(),
                release.protection().primary().size(),
                release.protection().secondary().size(),
                !previous.isEmpty())
            .entry(now, auditExpiresAt.getAsLong()));
    return release;
  }
}
