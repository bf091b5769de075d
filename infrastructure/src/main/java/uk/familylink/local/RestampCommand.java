package uk.familylink.local;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import uk.familylink.domain.retention.RestampResult;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.SweepResult;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.population.ExtractWriter;

@Command(
    name = "restamp",
    mixinStandardHelpOptions = true,
    description = {
      "Change the programme end date (or retention years) and re-stamp every item. The local services "
          + "keep nothing between runs, so it first ingests a synthetic population (stamped with programme end "
          + "2026-03-31 + 6 years), records that policy, re-stamps to the new one, then shows the time travel: "
          + "a sweep a day after the OLD expiry deletes no item, a sweep a day after the NEW expiry deletes all."
    })
final class RestampCommand implements Callable<Integer> {

  @Option(
      names = "--programme-end",
      required = true,
      description = "The new programme end date, e.g. 2027-03-31.")
  LocalDate programmeEnd;

  @Option(
      names = "--retention-years",
      defaultValue = "6",
      description = "The new retention years (default ${DEFAULT-VALUE}).")
  int retentionYears;

  @Option(
      names = "--families",
      defaultValue = "100",
      description = "Synthetic families to ingest first (default ${DEFAULT-VALUE}).")
  int families;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      defaultValue = "target/familylink-restamp",
      description = "Working folder for generated extracts (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--home",
      defaultValue = ".familylink",
      description = "Folder of the local keyring's root key (default ${DEFAULT-VALUE}).")
  Path home;

  @Override
  public Integer call() {
    if (families < 1) {
      throw new IllegalArgumentException("--families must be at least 1, was " + families);
    }
    RetentionPolicy old = LocalSweep.localRetention();
    RetentionPolicy changed = new RetentionPolicy(programmeEnd, retentionYears);
    Clock clock = Clock.systemUTC();
    try (EmbeddedAws aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS))) {
      LocalFamilyLink familyLink = LocalFamilyLink.start(aws, home, clock);
      ExtractWriter.Summary summary =
          LocalSweep.ingestSyntheticPopulation(familyLink, families, seed, out, clock);
      System.out.printf(
          "Ingested %,d synthetic families (%,d rows); items expire at %s (programme end %s + %d years)%n",
          summary.families(),
          summary.totalRows(),
          old.expiresAt(),
          old.programmeEnd(),
          old.retentionYears());
      LocalRestamp.restamp(aws, old, clock).run(() -> Long.MAX_VALUE); // the deployment's baseline

      RestampResult result = LocalRestamp.restamp(aws, changed, clock).run(() -> Long.MAX_VALUE);
      System.out.printf(
          "Re-stamp to programme end %s + %d years = %s: %s in %d ms%n",
          changed.programmeEnd(),
          changed.retentionYears(),
          changed.expiresAt(),
          result.status(),
          result.durationMillis());
      System.out.printf(
          "  items re-stamped: %,d (skipped, changed meanwhile: %d)%n",
          result.updated(), result.skipped());
      result.updatedByKind().forEach((kind, n) -> System.out.printf("    %-8s %,8d%n", kind, n));
      System.out.printf(
          "  RESTAMP audit entry: %s%n",
          result.auditEntryId() == null ? "none" : result.auditEntryId());

      boolean ok = true;
      if (!old.expiresAt().equals(changed.expiresAt())) {
        ok &=
            sweep(aws, changed, old.expiresAt().plusSeconds(86_400), "a day after the OLD expiry");
      }
      ok &=
          sweep(
              aws, changed, changed.expiresAt().plusSeconds(86_400), "a day after the NEW expiry");
      System.out.printf(
          "Linked items left: %,d%n",
          aws
              .dynamoDb()
              .scanPaginator(b -> b.tableName(LocalFamilyLink.TABLE).select("COUNT"))
              .stream()
              .mapToLong(r -> r.count())
              .sum());
      return ok ? 0 : 2;
    }
  }

  private static boolean sweep(
      EmbeddedAws aws, RetentionPolicy configured, Instant asOf, String label) {
    SweepResult r =
        LocalSweep.sweep(aws, configured, Clock.fixed(asOf, ZoneOffset.UTC))
            .run(() -> Long.MAX_VALUE);
    System.out.printf(
        "Sweep as of %s (%s): %s, %,d items deleted %s%n",
        asOf, label, r.status(), r.deletedItems(), r.deletedItemsByKind());
    return r.verifiedClean();
  }
}
