package uk.familylink.handler;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbPopulationReader;
import uk.familylink.adapter.aws.S3ObjectStore;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.outcome.OutcomeSettings;
import uk.familylink.domain.outputs.FamilyOutputs;
import uk.familylink.domain.outputs.Purpose;
import uk.familylink.domain.pseudonym.Tokeniser;

/**
 * Cold-start wiring of a family outputs function (one deployed per purpose). Only the
 * identification function derives the token working key (it pseudonymises caseload references), so
 * the evaluation function never touches the root key.
 */
public final class FamilyOutputsWiring {

  /** The Lambda's wiring, built from its environment at cold start. */
  static final ColdStart<FamilyOutputsWiring> LAMBDA =
      ColdStart.fromEnvironment(
          FamilyOutputsConfig::fromEnvironment,
          c ->
              new FamilyOutputsWiring(
                  c,
                  LambdaClients.s3(),
                  LambdaClients.dynamoDb(),
                  c.purpose() == Purpose.IDENTIFICATION
                      ? LambdaClients.workingKeys(c.rootKeyId()).tokeniser()
                      : null,
                  Clock.systemUTC()));

  private final FamilyOutputs outputs;
  private final IngestSettings uploaders;
  private final ContractRegistry contracts;

  private FamilyOutputsWiring(
      FamilyOutputsConfig config,
      S3Client s3,
      DynamoDbClient dynamo,
      Tokeniser tokeniser,
      Clock clock) {
    this.contracts = ContractRegistry.fromClasspath();
    this.uploaders =
        IngestSettings.defaults(config.retention())
            .withPartnerPrincipals(config.partnerPrincipals());
    this.outputs =
        new FamilyOutputs(
            // The outputs read the whole table: four parallel scan segments.
            new DynamoDbPopulationReader(dynamo, config.table(), 4),
            new S3ObjectStore(s3, config.sseKmsKeyId() != null, config.sseKmsKeyId()),
            new DynamoDbAuditLog(dynamo, config.auditTable()),
            clock,
            settings(config.purpose(), config.exportsBucket(), contracts),
            tokeniser,
            config.retention()::expiresAtEpochSecond);
  }

  /**
   * The settings a function serving {@code purpose} runs with (the local tool uses the same, so its
   * files are the deployed ones).
   */
  public static FamilyOutputs.Settings settings(
      Purpose purpose, String exportsBucket, ContractRegistry contracts) {
    Map<String, Integer> versions = new LinkedHashMap<>();
    for (DatasetContract c : contracts.all()) {
      versions.put(c.dataset(), c.version());
    }
    return new FamilyOutputs.Settings(
        Set.of(purpose),
        exportsBucket,
        FamilyOutputsConfig.prefixOf(purpose),
        EligibilityRule.supportingFamilies2022(),
        OutcomeSettings.supportingFamilies2022(),
        versions);
  }

  FamilyOutputs outputs() {
    return outputs;
  }

  IngestSettings uploaders() {
    return uploaders;
  }

  ContractRegistry contracts() {
    return contracts;
  }
}
