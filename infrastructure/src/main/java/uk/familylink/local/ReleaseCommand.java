package uk.familylink.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.release.ReleaseFiles;
import uk.familylink.domain.release.ReleaseRequest;
import uk.familylink.domain.release.ResearchExtract;
import uk.familylink.domain.release.ResearchReleaseService;
import uk.familylink.domain.retention.RetentionPolicy;

/**
 * {@code release --study NAME --out DIR}: a research release from the local store, written as the
 * release function writes it under {@code exports/<release-id>/} (locally unencrypted files; in AWS
 * the objects are SSE-KMS).
 */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = {
      "A research release for an approved study: its own pseudonyms, coarse columns, k-anonymity,",
      "a manifest and an audit entry. Writes DIR/exports/<release-id>/persons.csv and manifest.json.",
      "Reads the workspace (or the running serve's stores, or --in-memory fresh ones); --families N and",
      "--extract DATASET=FILE ingest through the real handler first."
    })
final class ReleaseCommand implements Callable<Integer> {

  @Option(names = "--study", required = true, description = "The approved study's name.")
  String study;

  @Option(names = "--out", required = true, description = "Folder to write into.")
  Path out;

  @Option(
      names = "--release-id",
      description = "Release id (default: the study name in lower case with hyphens).")
  String releaseId;

  @Option(names = "--approver", defaultValue = "local approver", description = "Who approved.")
  String approver;

  @Option(
      names = "--purpose",
      defaultValue = "Evaluation of the Supporting Families Programme",
      description = "Why.")
  String purpose;

  @Option(
      names = "--legal-basis",
      defaultValue = "UK GDPR Art 6(1)(e), 9(2)(j); DPA 2018 Sch 1 Part 1 para 4",
      description = "Legal basis recorded in the manifest.")
  String legalBasis;

  @Option(
      names = "--expires",
      description =
          "Study expiry (yyyy-MM-dd; default one year ahead; capped at the data's retention).")
  LocalDate expires;

  @Option(names = "--k", defaultValue = "5", description = "k of k-anonymity (default 5).")
  int k;

  /** The population a fresh in-memory store gets when nothing else is given to ingest. */
  static final int IN_MEMORY_FAMILIES = 500;

  @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

  @Mixin PopulationOptions population = new PopulationOptions();

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    String id =
        releaseId != null
            ? releaseId
            : study
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
    LocalDate expiry = expires != null ? expires : LocalDate.now(clock).plusYears(1);
    ReleaseRequest request =
        new ReleaseRequest(id, study, approver, purpose, legalBasis, expiry, k);
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
            "familylink-release",
            progress)) {
      LocalFamilyLink familyLink = session.familyLink();
      if (!LocalExtracts.holdsLinkedRecords(familyLink)) {
        System.err.println("familylink release: " + LocalExtracts.NOTHING_INGESTED);
        return FamilyLinkCli.FINDING;
      }
      RetentionPolicy retention = LocalFamilyLink.localRetention();
      ResearchReleaseService service =
          new ResearchReleaseService(
              familyLink.linkedData(),
              session.rootKey(),
              EligibilityRule.supportingFamilies2022(),
              new DynamoDbAuditLog(session.aws().dynamoDb(), LocalFamilyLink.AUDIT_TABLE),
              clock,
              retention.programmeEnd().plusYears(retention.retentionYears()),
              retention::expiresAtEpochSecond);
      ResearchExtract extract = service.release(request);
      for (Map.Entry<String, byte[]> file : ReleaseFiles.of(extract).entrySet()) {
        Path target = out.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.write(target, file.getValue());
      }
      System.out.printf(
          "Research release %s for \"%s\": %,d rows (%,d generalised, %,d withheld for k=%d),"
              + " expires %s; written to %s%n",
          id,
          study,
          extract.rows().size(),
          extract.generalised(),
          extract.withheld(),
          k,
          extract.expiresOn(),
          out.resolve("exports").resolve(id).toAbsolutePath());
    }
    return 0;
  }
}
