package uk.familylink.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What the outputs commands ({@code report statistics}, {@code report families}, {@code release})
 * ingest before they read: a generated population and given extracts ({@link
 * LocalExtracts#openForOutputs}). Without either, they read what the store already holds.
 */
final class PopulationOptions {

  @Option(
      names = "--families",
      description =
          "Synthetic families to generate and ingest first (default: none; with --in-memory and no"
              + " --extract, the command's own population).")
  Integer families;

  @Option(names = "--seed", defaultValue = "1", description = "Generator seed.")
  long seed;

  @Option(
      names = "--extract",
      paramLabel = "DATASET=FILE",
      description = "An extract to ingest first (repeatable).")
  Map<String, Path> extracts = new LinkedHashMap<>();
}
