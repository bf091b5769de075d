package uk.familylink.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import uk.familylink.domain.outputs.FamilyOutputs;
import uk.familylink.domain.outputs.Purpose;
import uk.familylink.local.aws.EmbeddedAws;

/** {@code report families}: the family outputs functions' files, from the local store. */
@Command(
    name = "families",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the identification and evaluation outputs exactly as the deployed functions do",
      "(outputs/identification/<as-of>/..., outputs/evaluation/<as-of>/...: CSV plus a summary) into --out.",
      "Reads the workspace (or the running serve's stores, or --in-memory fresh ones); --families N and",
      "--extract <dataset>=<file.csv> ingest through the real handler first.",
      "Each run is audited (OUTPUTS: who, when, purpose, counts)."
    })
final class FamilyReportCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, description = "Folder to write the outputs into.")
  Path out;

  /** The population a fresh in-memory store gets when nothing else is given to ingest. */
  static final int IN_MEMORY_FAMILIES = 200;

  @Option(
      names = "--purposes",
      defaultValue = "IDENTIFICATION,EVALUATION",
      description = "IDENTIFICATION, EVALUATION or both (default ${DEFAULT-VALUE}).")
  String purposes;

  @Option(
      names = "--as-of",
      description =
          "As-of date yyyy-MM-dd (default today); what --families/--extract ingest is dated the same.")
  LocalDate asOf;

  @Option(
      names = "--requester",
      defaultValue = "local report command",
      description = "Who asks (recorded in the audit).")
  String requester;

  @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

  @Mixin PopulationOptions population = new PopulationOptions();

  @Override
  public Integer call() throws IOException {
    Set<Purpose> wanted = Purpose.parse(purposes);
    Clock clock =
        asOf == null
            ? Clock.systemUTC()
            : Clock.fixed(asOf.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    // Where the convenience ingests report each file.
    PrintStream progress = System.out;
    try (LocalSession session =
        LocalExtracts.openForOutputs(
            workspace,
            population.families,
            IN_MEMORY_FAMILIES,
            population.seed,
            population.extracts,
            clock,
            "familylink-report",
            progress)) {
      LocalFamilyLink familyLink = session.familyLink();
      EmbeddedAws aws = session.aws();
      if (!LocalExtracts.holdsLinkedRecords(familyLink)) {
        System.err.println("familylink report families: " + LocalExtracts.NOTHING_INGESTED);
        return FamilyLinkCli.FINDING;
      }
      Files.createDirectories(out);
      for (Purpose purpose : List.of(Purpose.IDENTIFICATION, Purpose.EVALUATION)) {
        if (!wanted.contains(purpose)) {
          continue;
        }
        Instant start = Instant.now();
        FamilyOutputs.RunResult result =
            familyLink.outputs(purpose, aws.bucket(), clock).run(requester);
        long millis = Duration.between(start, Instant.now()).toMillis();
        List<Path> written = copy(aws, result.keys());
        System.out.printf(
            "%s outputs as of %s (%,d ms): %s%n", purpose, result.asOf(), millis, result.counts());
        for (Path p : written) {
          System.out.println("  " + p);
          if (p.getFileName().toString().endsWith("summary.txt")) {
            System.out.println(Files.readString(p).indent(4).stripTrailing());
          }
        }
      }
    }
    return 0;
  }

  private List<Path> copy(EmbeddedAws aws, List<String> keys) {
    List<Path> written = new ArrayList<>();
    for (String key : keys) {
      Path target = out.resolve(key);
      try {
        Files.createDirectories(target.getParent());
        Files.write(
            target, aws.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key)).asByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException("could not write " + target, e);
      }
      written.add(target);
    }
    return written;
  }
}
