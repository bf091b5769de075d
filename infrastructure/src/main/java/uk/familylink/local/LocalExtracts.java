package uk.familylink.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import uk.familylink.adapter.aws.DynamoDbAuditReader;
import uk.familylink.adapter.aws.DynamoDbTables;
import uk.familylink.domain.access.AuditTrail;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.ingest.IncomingKey;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3Events;
import uk.familylink.local.population.Dataset;
import uk.familylink.local.population.ExtractWriter;

/**
 * The convenience ingests of the commands that read the stores ({@code access}, {@code audit}, the
 * report and release commands): the extracts they are given, and for the outputs commands a
 * generated population, go through the real handler (as {@code serve} delivers uploads) before the
 * command reads the stores with the same services the functions use.
 */
final class LocalExtracts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalExtracts() {}

  /**
   * The extracts a one-shot command ingests: a generated population of {@code families} (none when
   * 0) in a temporary folder, then the given extracts by dataset (which replace generated ones).
   */
  static Map<String, Path> withGenerated(
      int families, long seed, Map<String, Path> extracts, Clock clock, Path generatedDir) {
    Map<String, Path> toIngest = new LinkedHashMap<>();
    if (families > 0) {
      ExtractWriter.Summary summary =
          GenerateCommand.generate(families, seed, generatedDir, null, false, clock);
      for (Dataset dataset : Dataset.values()) {
        toIngest.put(dataset.id(), summary.files().get(dataset));
      }
    }
    toIngest.putAll(extracts);
    return toIngest;
  }

  /** What an outputs command says, exit status 1, when the stores hold no linked record. */
  static final String NOTHING_INGESTED =
      "nothing ingested yet; run serve and upload, or pass --families N";

  /**
   * The stores an outputs command reads ({@code report statistics}, {@code report families}, {@code
   * release}): the workspace, a running serve's, external endpoints, or (with {@code --in-memory})
   * fresh ones; with a generated population of {@code families} and the given extracts ingested
   * first. Without {@code --families}, a fresh in-memory store gets {@code inMemoryFamilies} unless
   * extracts are given (it would otherwise be empty); the workspace gets nothing.
   */
  static LocalSession openForOutputs(
      WorkspaceOptions workspace,
      Integer families,
      int inMemoryFamilies,
      long seed,
      Map<String, Path> extracts,
      Clock clock,
      String tempPrefix,
      PrintStream progress)
      throws IOException {
    int generated =
        families != null
            ? families
            : workspace.inMemory && extracts.isEmpty() ? inMemoryFamilies : 0;
    if (generated < 0) {
      throw new CliException("--families must be 0 or more, was " + generated);
    }
    // generated extracts (and their ground truth) live only until they are ingested
    Path generatedDir = generated > 0 ? Files.createTempDirectory(tempPrefix) : null;
    try {
      Map<String, Path> toIngest = withGenerated(generated, seed, extracts, clock, generatedDir);
      LocalSession session = LocalSession.open(workspace, LocalCommands.embedded(), clock, true);
      try {
        ingest(session.familyLink(), toIngest, clock, progress);
        return session;
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    } finally {
      if (generatedDir != null) {
        TempFolders.deleteTree(generatedDir);
        progress.println("Removed the generated extracts (`generate --out DIR` keeps a copy).");
      }
    }
  }

  /**
   * True when the linked table holds at least one record item (a file's ledger entry alone, e.g. of
   * a rejected upload, is not something to publish from). Reads until the first match.
   */
  static boolean holdsLinkedRecords(LocalFamilyLink familyLink) {
    return familyLink
        .aws()
        .dynamoDb()
        .scanPaginator(
            b ->
                b.tableName(LocalFamilyLink.TABLE)
                    .filterExpression("begins_with(#pk, :rec)")
                    .expressionAttributeNames(Map.of("#pk", DynamoDbTables.PK))
                    .expressionAttributeValues(Map.of(":rec", AttributeValue.fromS("REC#")))
                    .projectionExpression("#pk"))
        .stream()
        .anyMatch(page -> !page.items().isEmpty());
  }

  /**
   * Uploads each {@code dataset -> file} under the dataset's first partner and runs the handler;
   * returns status by dataset.
   */
  static Map<String, String> ingest(
      LocalFamilyLink familyLink, Map<String, Path> extracts, Clock clock, PrintStream out) {
    IncomingPoller poller =
        new IncomingPoller(
            familyLink.aws().s3(),
            familyLink.aws().bucket(),
            new S3Events(clock, familyLink.aws().region().id()),
            familyLink.sink());
    Map<String, String> statuses = new LinkedHashMap<>();
    for (Map.Entry<String, Path> extract : extracts.entrySet()) {
      String dataset = extract.getKey();
      DatasetContract contract =
          familyLink
              .contracts()
              .find(dataset)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--extract names an unknown dataset: "
                              + dataset
                              + " (known: "
                              + familyLink.contracts().all().stream()
                                  .map(DatasetContract::dataset)
                                  .sorted()
                                  .toList()
                              + ")"));
      Path file = extract.getValue();
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--extract " + dataset + ": no such file: " + file);
      }
      String key =
          IncomingKey.PREFIX
              + contract.partners().get(0)
              + "/"
              + dataset
              + "/"
              + file.getFileName();
      try {
        byte[] bytes = Files.readAllBytes(file);
        familyLink
            .aws()
            .s3()
            .putObject(
                b -> b.bucket(familyLink.aws().bucket()).key(key), RequestBody.fromBytes(bytes));
        poller.pollOnce();
        JsonNode report =
            JSON.readTree(
                familyLink
                    .aws()
                    .s3()
                    .getObjectAsBytes(
                        b ->
                            b.bucket(familyLink.aws().bucket())
                                .key(
                                    LocalReports.latestReportKey(
                                        familyLink.aws().s3(),
                                        familyLink.aws().bucket(),
                                        key,
                                        "json")))
                    .asByteArray());
        String status = report.path("status").asText();
        statuses.put(dataset, status);
        out.printf(
            "Ingested %-20s %-22s %,d rows valid, %,d invalid%n",
            dataset,
            status,
            report.path("rows").path("valid").asLong(),
            report.path("rows").path("invalid").asLong());
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + file, e);
      }
    }
    return statuses;
  }

  static AuditTrail auditTrail(LocalFamilyLink familyLink) {
    return new AuditTrail(
        new DynamoDbAuditReader(familyLink.aws().dynamoDb(), LocalFamilyLink.AUDIT_TABLE));
  }
}
