package uk.familylink.local;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import uk.familylink.domain.retention.DailyRetention;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.SweepResult;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.population.ExtractWriter;

@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Run the daily retention run (re-stamp if the policy changed, then the sweep) on the workspace as of any date,",
      "and print what was destroyed and whether anything expired remains. With --after-demo it first ingests a",
      "synthetic population through the real handler (as `demo` does). Exit status: 0 verified clean, 1 something",
      "expired remains or the re-stamp is unfinished, 2 a usage error.",
      "Items are stamped to expire at programme end (2026-03-31) + 6 years = 2032-04-01T00:00Z."
    })
final class SweepCommand implements Callable<Integer> {

  @Option(
      names = "--now",
      required = true,
      description =
          "Sweep as of this date (UTC start of day) or instant, e.g. 2032-04-02 or 2032-04-02T03:00:00Z.")
  String now;

  @Option(
      names = "--after-demo",
      description =
          "Ingest a synthetic population into the workspace first (otherwise: what the workspace holds).")
  boolean afterDemo;

  @Option(
      names = "--families",
      defaultValue = "200",
      description = "Families for --after-demo (default ${DEFAULT-VALUE}).")
  int families;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed for --after-demo (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      defaultValue = "target/familylink-sweep",
      description = "Working folder for generated extracts (default ${DEFAULT-VALUE}).")
  Path out;

  @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

  static Instant parseNow(String text) {
    try {
      return text.contains("T")
          ? Instant.parse(text)
          : CliDates.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new CliException(
          "--now must be a date like 2032-04-02 (or 02/04/2032) or an instant like 2032-04-02T03:00:00Z");
    }
  }

  @Override
  public Integer call() {
    Instant asOf = parseNow(now);
    if (families < 1) {
      throw new IllegalArgumentException("--families must be at least 1, was " + families);
    }
    RetentionPolicy retention = LocalSweep.localRetention();
    Clock ingestClock = Clock.systemUTC();
    try (LocalSession session =
        LocalSession.open(workspace, LocalCommands.embedded(), ingestClock, true)) {
      EmbeddedAws aws = session.aws();
      LocalFamilyLink familyLink = session.familyLink();
      if (afterDemo) {
        ExtractWriter.Summary summary =
            LocalSweep.ingestSyntheticPopulation(familyLink, families, seed, out, ingestClock);
        System.out.printf(
            "Ingested %,d synthetic families (%,d rows) through the real handler; items expire at %s%n",
            summary.families(), summary.totalRows(), retention.expiresAt());
      } else {
        System.out.println("Sweeping the workspace " + workspace.home() + " as of " + asOf);
      }
      long itemsBefore = count(aws, LocalFamilyLink.TABLE);
      long auditBefore = count(aws, LocalFamilyLink.AUDIT_TABLE);
      long objectsBefore =
          aws.s3().listObjectsV2Paginator(b -> b.bucket(aws.bucket())).contents().stream().count();
      System.out.printf(
          "Before: %,d linked items, %,d audit entries, %,d objects%n",
          itemsBefore, auditBefore, objectsBefore);

      // The scheduled function's rule: re-stamp first (here: the policy is unchanged, so the first
      // run records it as the baseline), sweep only when settled.
      DailyRetention.Outcome outcome =
          LocalSweep.dailyRetention(aws, retention, Clock.fixed(asOf, ZoneOffset.UTC))
              .run(() -> Long.MAX_VALUE);
      if (outcome.restampWorthReporting()) {
        System.out.printf(
            "Re-stamp first: %s (%,d items moved, %,d stragglers)%n",
            outcome.restamp().status(),
            outcome.restamp().updated(),
            outcome.restamp().stragglers());
      }
      if (!outcome.swept()) {
        System.out.println("Re-stamp unfinished: the sweep waits for the next run.");
        return 1;
      }
      SweepResult result = outcome.sweep();

      System.out.printf(
          "Sweep as of %s: %s in %d ms%n", result.asOf(), result.status(), result.durationMillis());
      if (result.unbacked() != null) {
        System.out.printf(
            "  left unbacked by corrections: %,d notes checked, %,d persons and %,d memberships removed,"
                + " %,d items put back (an ingest re-linked them meanwhile)%n",
            result.unbacked().notesChecked(),
            result.unbacked().personsRemoved(),
            result.unbacked().membershipsRemoved(),
            result.unbacked().restoredAfterRelink());
      }
      System.out.printf("  items deleted: %,d%n", result.deletedItems());
      result
          .deletedItemsByKind()
          .forEach((kind, n) -> System.out.printf("    %-8s %,8d%n", kind, n));
      System.out.printf(
          "  objects deleted: %,d %s%n", result.deletedObjects(), result.deletedObjectsByPrefix());
      System.out.printf(
          "  expired items remaining after verification: %d; expired objects remaining: %d%n",
          result.remainingItems(), result.remainingObjects());
      System.out.printf(
          "  destruction audit entry: %s%n",
          result.auditEntryId() == null ? "none (nothing was due)" : result.auditEntryId());
      System.out.printf(
          "After: %,d linked items, %,d audit entries, %,d objects%n",
          count(aws, LocalFamilyLink.TABLE),
          count(aws, LocalFamilyLink.AUDIT_TABLE),
          aws.s3().listObjectsV2Paginator(b -> b.bucket(aws.bucket())).contents().stream().count());
      return result.verifiedClean() ? 0 : 1;
    }
  }

  private static long count(EmbeddedAws aws, String table) {
    return aws.dynamoDb().scanPaginator(b -> b.tableName(table).select("COUNT")).stream()
        .mapToLong(r -> r.count())
        .sum();
  }
}
