package uk.familylink.local;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import uk.familylink.local.population.Dataset;
import uk.familylink.local.population.ExtractWriter;
import uk.familylink.local.population.Imperfections;
import uk.familylink.local.population.PartnerContracts;
import uk.familylink.local.population.PopulationGenerator;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Write synthetic partner extracts (one CSV per dataset) and, separately, their ground truth.")
final class GenerateCommand implements Callable<Integer> {

  @Option(
      names = "--families",
      defaultValue = "" + PopulationGenerator.DEFAULT_FAMILIES,
      description = "Number of families (default ${DEFAULT-VALUE}).")
  int families;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description =
          "Random seed; the same seed and date give the same files (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      defaultValue = "target/familylink-data",
      description = "Folder for extracts/ and ground-truth.csv (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--contracts",
      description =
          "Folder of dataset contract YAML files to follow (default: the packaged contracts).")
  Path contracts;

  @Option(
      names = "--clean",
      description = "Write tidy extracts: no typos, reformatting, stale addresses or invalid rows.")
  boolean clean;

  @Override
  public Integer call() {
    ExtractWriter.Summary summary =
        generate(families, seed, out, contracts, clean, Clock.systemUTC());
    System.out.printf("Ground truth (keep it away from uploads): %s%n", summary.groundTruth());
    return 0;
  }

  static ExtractWriter.Summary generate(
      int families, long seed, Path out, Path contractsDir, boolean clean, Clock clock) {
    if (families < 1) {
      throw new IllegalArgumentException("--families must be at least 1, was " + families);
    }
    PartnerContracts contracts = PartnerContracts.load(Optional.ofNullable(contractsDir));
    long start = System.nanoTime();
    ExtractWriter.Summary summary =
        new ExtractWriter(contracts, clean ? Imperfections.none() : Imperfections.realistic())
            .write(
                new PopulationGenerator(seed, clock),
                families,
                out.resolve("extracts"),
                out.resolve("ground-truth.csv"),
                done -> System.out.printf("  generated %,d / %,d families%n", done, families));
    System.out.printf(
        "Generated %,d families (%,d people; %,d with 3+ needs, %,d eligible) in %d ms, following the contracts in %s:%n",
        summary.families(),
        summary.people(),
        summary.familiesWithThreeOrMoreNeeds(),
        summary.eligibleFamilies(),
        (System.nanoTime() - start) / 1_000_000,
        contracts.source());
    for (Dataset dataset : Dataset.values()) {
      System.out.printf(
          "  %-18s %,7d rows (%,d deliberately invalid)  %s  -> %s%n",
          dataset.id(),
          summary.rows().get(dataset),
          summary.invalidRows().get(dataset),
          summary.files().get(dataset),
          summary.uploadKeys().get(dataset));
    }
    return summary;
  }
}
