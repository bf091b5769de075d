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
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbAuditReader;
import uk.familylink.adapter.aws.DynamoDbPersonReader;
import uk.familylink.domain.access.AuditTrail;
import uk.familylink.domain.access.SubjectAccess;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.ingest.IncomingKey;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3Events;

/**
 * For the {@code access} and {@code audit} commands: the local tool's stores live only for one run,
 * so these commands first ingest the extracts they are given (through the real handler, as {@code
 * demo} does) and then read what that produced with the same services the functions use.
 */
final class LocalExtracts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalExtracts() {}

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
                                .key(IncomingKey.parse(key).reportKey("json")))
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

  /** The subject access service on the local stores, as the access function wires it in Lambda. */
  static SubjectAccess subjectAccess(LocalFamilyLink familyLink, Clock clock) {
    RetentionPolicy retention =
        new RetentionPolicy(
            LocalFamilyLink.DEFAULT_PROGRAMME_END, RetentionPolicy.DEFAULT_RETENTION_YEARS);
    return new SubjectAccess(
        new DynamoDbPersonReader(familyLink.aws().dynamoDb(), LocalFamilyLink.TABLE),
        new DynamoDbAuditLog(familyLink.aws().dynamoDb(), LocalFamilyLink.AUDIT_TABLE),
        familyLink.keys(),
        EligibilityRule.supportingFamilies2022(),
        clock,
        retention::expiresAtEpochSecond);
  }

  static AuditTrail auditTrail(LocalFamilyLink familyLink) {
    return new AuditTrail(
        new DynamoDbAuditReader(familyLink.aws().dynamoDb(), LocalFamilyLink.AUDIT_TABLE));
  }
}
