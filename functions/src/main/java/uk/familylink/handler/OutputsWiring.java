package uk.familylink.handler;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbLinkedData;
import uk.familylink.adapter.aws.KmsKeyPort;
import uk.familylink.adapter.aws.S3ObjectStore;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.outcome.OutcomeSettings;
import uk.familylink.domain.outputs.FamilyOutputs;
import uk.familylink.domain.outputs.Purpose;
import uk.familylink.domain.pseudonym.WorkingKeys;

/**
 * Cold-start wiring of an outputs function. Each deployed outputs function serves one purpose
 * ({@value #PURPOSE}); only the identification function derives the token working key (it
 * pseudonymises caseload references), so the evaluation function never touches the root key.
 */
public final class OutputsWiring {

  /** The purpose this function serves: IDENTIFICATION or EVALUATION. */
  public static final String PURPOSE = "FAMILYLINK_PURPOSE";

  /** The exports bucket the outputs are written to. */
  public static final String EXPORTS_BUCKET = "FAMILYLINK_EXPORTS_BUCKET";

  /** The outputs function's own variables, read in addition to {@link FunctionConfig#VARIABLES}. */
  public static final Set<String> VARIABLES = Set.of(PURPOSE, EXPORTS_BUCKET);

  /** Where each purpose's outputs go in the exports bucket. */
  public static String prefixOf(Purpose purpose) {
    return "outputs/" + purpose.name().toLowerCase(java.util.Locale.ROOT) + "/";
  }

  /** Typed configuration of an outputs function; fails fast naming every problem. */
  public record OutputsConfig(Purpose purpose, String exportsBucket) {
    static OutputsConfig fromEnvironment(Map<String, String> env) {
      List<String> problems = new ArrayList<>();
      Purpose purpose = null;
      String p = env.get(PURPOSE);
      if (p == null || p.isBlank()) {
        problems.add(PURPOSE + " is required (IDENTIFICATION or EVALUATION)");
      } else {
        try {
          purpose = Purpose.valueOf(p.trim());
        } catch (IllegalArgumentException e) {
          problems.add(PURPOSE + " must be IDENTIFICATION or EVALUATION");
        }
      }
      String bucket = env.get(EXPORTS_BUCKET);
      if (bucket == null || bucket.isBlank()) {
        problems.add(EXPORTS_BUCKET + " is required");
      }
      if (!problems.isEmpty()) {
        throw new IllegalStateException(
            "FamilyLink outputs configuration is invalid: " + String.join("; ", problems));
      }
      return new OutputsConfig(purpose, bucket.trim());
    }
  }

  private static volatile OutputsWiring instance;

  private final FamilyOutputs outputs;
  private final IngestSettings uploaders;
  private final ContractRegistry contracts;

  private OutputsWiring(FunctionConfig config, OutputsConfig own) {
    var http = UrlConnectionHttpClient.builder().build();
    S3Client s3 = S3Client.builder().httpClient(http).build();
    DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).build();
    Clock clock = Clock.systemUTC();
    this.contracts = ContractRegistry.fromClasspath();
    this.uploaders =
        IngestSettings.defaults(config.retention())
            .withPartnerPrincipals(config.partnerPrincipals());
    WorkingKeys keys =
        own.purpose() == Purpose.IDENTIFICATION
            ? new WorkingKeys(
                new KmsKeyPort(KmsClient.builder().httpClient(http).build(), config.rootKeyId()))
            : null;
    this.outputs =
        new FamilyOutputs(
            new DynamoDbLinkedData(
                dynamo, config.table(), clock, 8, java.time.Duration.ofMillis(50), 4),
            new S3ObjectStore(s3, config.sseKmsKeyId() != null, config.sseKmsKeyId()),
            new DynamoDbAuditLog(dynamo, config.auditTable()),
            clock,
            settings(own, contracts),
            keys == null ? null : keys.tokeniser(),
            config.retention()::expiresAtEpochSecond);
  }

  static FamilyOutputs.Settings settings(OutputsConfig own, ContractRegistry contracts) {
    return settings(own.purpose(), own.exportsBucket(), contracts);
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
        prefixOf(purpose),
        EligibilityRule.supportingFamilies2022(),
        OutcomeSettings.supportingFamilies2022(),
        versions);
  }

  static OutputsWiring instance() {
    OutputsWiring local = instance;
    if (local == null) {
      synchronized (OutputsWiring.class) {
        local = instance;
        if (local == null) {
          Map<String, String> env = System.getenv();
          local =
              new OutputsWiring(
                  FunctionConfig.fromEnvironment(env), OutputsConfig.fromEnvironment(env));
          instance = local;
        }
      }
    }
    return local;
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
