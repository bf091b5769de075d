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
import uk.familylink.adapter.aws.DynamoDbAuditReader;
import uk.familylink.domain.access.AuditTrail;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.ingest.IncomingKey;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3Events;
import uk.familylink.local.population.Dataset;
import uk.familylink.local.population.ExtractWriter;

/**
 * For the {@code access} and {@code audit} commands: the local tool's stores live only for one run,
 * so these commands first ingest the extracts they are given (through the real handler, as {@code
 * demo} does) and then read what that produced with the same services the functions use.
 */
final class LocalExtracts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalExtracts() {}

  /**
   * The extracts a one-shot command ingests: a generated population of {@code families} (none when
   * 0) in a temporary folder, then the given extracts by dataset (which replace generated ones).
   */
  static Map<String, Path> withGenerated(
      int families, long seed, Map<String, Path> extracts, Clock clock, String tempPrefix)
      throws IOException {
    Map<String, Path> toIngest = new LinkedHashMap<>();
    if (families > 0) {
      ExtractWriter.Summary summary =
          GenerateCommand.generate(
              families, seed, Files.createTempDirectory(tempPrefix), null, false, clock);
      for (Dataset dataset : Dataset.values()) {
        toIngest.put(dataset.id(), summary.files().get(dataset));
      }
    }
    toIngest.putAll(extracts);
    return toIngest;
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
