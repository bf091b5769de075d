package uk.familylink.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
      "The local stores live for one run: the extracts given with --extract <dataset>=<file.csv> are",
      "ingested through the real handler first; without --extract a synthetic population is generated.",
      "Each run is audited (OUTPUTS: who, when, purpose, counts)."
    })
final class FamilyReportCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, description = "Folder to write the outputs into.")
  Path out;

  @Option(
      names = "--extract",
      paramLabel = "DATASET=FILE",
      description = "An extract to ingest first (repeatable).")
  Map<String, Path> extracts = new LinkedHashMap<>();

  @Option(
      names = "--families",
      defaultValue = "200",
      description = "Synthetic families when no --extract is given (default ${DEFAULT-VALUE}).")
  int families;

  @Option(names = "--seed", defaultValue = "1", description = "Generator seed.")
  long seed;

  @Option(
      names = "--purposes",
      defaultValue = "IDENTIFICATION,EVALUATION",
      description = "IDENTIFICATION, EVALUATION or both (default ${DEFAULT-VALUE}).")
  String purposes;

  @Option(
      names = "--as-of",
      description = "As-of date yyyy-MM-dd (default today); ingest happens on the same date.")
  LocalDate asOf;

  @Option(
      names = "--requester",
      defaultValue = "local report command",
      description = "Who asks (recorded in the audit).")
  String requester;

  @Option(names = "--home", defaultValue = ".familylink", description = "Local keyring folder.")
  Path home;

  @Override
  public Integer call() throws IOException {
    Set<Purpose> wanted = Purpose.parse(purposes);
    Clock clock =
        asOf == null
            ? Clock.systemUTC()
            : Clock.fixed(asOf.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    Files.createDirectories(out);
    try (EmbeddedAws aws = EmbeddedAws.start(EmbeddedAws.Options.defaults().withPorts(0, 0))) {
      LocalFamilyLink familyLink = LocalFamilyLink.start(aws, home, clock);
      Map<String, Path> toIngest =
          LocalExtracts.withGenerated(
              extracts.isEmpty() ? families : 0, seed, extracts, clock, "familylink-report");
      LocalExtracts.ingest(familyLink, toIngest, clock, System.out);
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
