package uk.familylink.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.disclosure.DisclosurePolicy;
import uk.familylink.domain.disclosure.PublishedRelease;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.statistics.Geography;
import uk.familylink.domain.statistics.StatisticsRelease;
import uk.familylink.domain.statistics.StatisticsService;
import uk.familylink.domain.statistics.TidyCsv;
import uk.familylink.report.StatisticsFiles;

/**
 * {@code report statistics}: the published statistics release; {@code report families}: the family
 * outputs (identification and evaluation) as the deployed functions write them.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Published outputs from the local store.",
    subcommands = {ReportCommand.Statistics.class, FamilyReportCommand.class})
final class ReportCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "statistics",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the disclosure-controlled statistics release: tidy CSV + .meta.csv per table,"
            + " cells.csv, and report.html (self-contained, SVG charts).",
        "Reads the workspace (or the running serve's stores, or --in-memory fresh ones); --families N"
            + " and --extract DATASET=FILE ingest through the real handler first.",
        "Every table passes the attacker check or nothing is written (exit 3)."
      })
  static final class Statistics implements Callable<Integer> {

    static final int REFUSED = 3;

    /** The population a fresh in-memory store gets when nothing else is given to ingest. */
    static final int IN_MEMORY_FAMILIES = 500;

    @Option(names = "--out", required = true, description = "Folder to write the release into.")
    Path out;

    @Option(
        names = "--previous",
        description = "Folder of the previous release (its cells.csv), checked for differencing.")
    Path previous;

    @Option(
        names = "--policy",
        defaultValue = "DFE",
        description =
            "Disclosure policy: DFE (1-5 -> c, totals to 10) or NHS (1-7 -> *, all to 5).")
    String policy;

    @Option(
        names = "--protection",
        description = "Protection range of the attacker check (default 10).")
    Long protection;

    @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

    @Mixin PopulationOptions population = new PopulationOptions();

    @Override
    public Integer call() throws Exception {
      Clock clock = Clock.systemUTC();
      DisclosurePolicy chosen = DisclosurePolicy.named(policy);
      if (protection != null) {
        chosen = chosen.withProtection(protection);
      }
      DisclosureControl control = new DisclosureControl(chosen);
      PublishedRelease before = PublishedRelease.none();
      if (previous != null) {
        before =
            TidyCsv.readCells(Files.readAllBytes(previous.resolve(StatisticsFiles.CELLS)), true);
      }
      // Where the convenience ingests report each file.
      PrintStream progress = System.err;
      try (LocalSession session =
          LocalExtracts.openForOutputs(
              workspace,
              population.families,
              IN_MEMORY_FAMILIES,
              population.seed,
              population.extracts,
              clock,
              "familylink-statistics",
              progress)) {
        LocalFamilyLink familyLink = session.familyLink();
        if (!LocalExtracts.holdsLinkedRecords(familyLink)) {
          System.err.println("familylink report statistics: " + LocalExtracts.NOTHING_INGESTED);
          return FamilyLinkCli.FINDING;
        }
        StatisticsService service =
            new StatisticsService(
                familyLink.linkedData(),
                EligibilityRule.supportingFamilies2022(),
                uk.familylink.domain.outcome.OutcomeSettings.supportingFamilies2022(),
                control,
                Geography.herefordshire(),
                new DynamoDbAuditLog(session.aws().dynamoDb(), LocalFamilyLink.AUDIT_TABLE),
                clock,
                LocalFamilyLink.localRetention()::expiresAtEpochSecond);
        long start = System.nanoTime();
        StatisticsRelease release;
        Map<String, byte[]> files;
        try {
          release = service.produce("local", before);
          files = StatisticsFiles.of(release, control, before);
        } catch (uk.familylink.domain.disclosure.UnsafeReleaseException e) {
          System.err.println("familylink report statistics: refused: " + e.getMessage());
          return REFUSED;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Files.createDirectories(out);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
          Files.write(out.resolve(file.getKey()), file.getValue());
        }
        System.out.printf(
            "Statistics release as of %s: %d tables, %d cells (%d hidden as small, %d more to"
                + " protect them); attacker check passed on %d intervals; %d ms%n",
            release.asOf(),
            release.tables().size(),
            release.protection().shown().size(),
            release.protection().primary().size(),
            release.protection().secondary().size(),
            release.protection().report().intervals().size(),
            millis);
        System.out.printf(
            "Wrote %d files to %s (open report.html)%n", files.size(), out.toAbsolutePath());
      }
      return 0;
    }
  }
}
