package uk.familylink.handler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import uk.familylink.adapter.aws.KmsKeyPort;
import uk.familylink.domain.pseudonym.WorkingKeys;

/**
 * The SDK clients of one Lambda execution environment: region and credentials from Lambda's own
 * environment, one URL-connection HTTP client shared by all. Each is built on first use, so a
 * function builds only the clients its wiring asks for.
 */
final class LambdaClients {

  private static final ColdStart<SdkHttpClient> HTTP =
      new ColdStart<>(
          () -> {
            // A chunk issues up to DynamoDbBatches' concurrency calls at once; keep that many
            // connections alive (the JDK's default keeps 5 per host).
            if (System.getProperty("http.maxConnections") == null) {
              System.setProperty("http.maxConnections", "32");
            }
            return UrlConnectionHttpClient.builder().build();
          });
  private static final ColdStart<S3Client> S3 =
      new ColdStart<>(() -> S3Client.builder().httpClient(HTTP.get()).build());
  private static final ColdStart<DynamoDbClient> DYNAMO_DB =
      new ColdStart<>(() -> DynamoDbClient.builder().httpClient(HTTP.get()).build());
  private static final ColdStart<SqsClient> SQS =
      new ColdStart<>(() -> SqsClient.builder().httpClient(HTTP.get()).build());
  private static final ColdStart<KmsClient> KMS =
      new ColdStart<>(() -> KmsClient.builder().httpClient(HTTP.get()).build());

  private LambdaClients() {}

  static S3Client s3() {
    return S3.get();
  }

  static DynamoDbClient dynamoDb() {
    return DYNAMO_DB.get();
  }

  static SqsClient sqs() {
    return SQS.get();
  }

  /** The KMS root key itself, for services that derive their own labels (research releases). */
  static KmsKeyPort rootKey(String rootKeyId) {
    return new KmsKeyPort(KMS.get(), rootKeyId);
  }

  /** The working keys derived from the KMS root key (one GenerateMac per label). */
  static WorkingKeys workingKeys(String rootKeyId) {
    return new WorkingKeys(rootKey(rootKeyId));
  }

  /** The ingest's working keys: the token key and tier 3's bloom key (two GenerateMac calls). */
  static WorkingKeys ingestKeys(String rootKeyId) {
    return WorkingKeys.forIngest(rootKey(rootKeyId));
  }

  /**
   * The ingest's working keys (token and bloom; subject access derives the same), derived on a
   * thread of their own while the caller builds its other clients: the KMS round trips (and the
   * SDK's first-request class loading they pay for) overlap the caller's class loading instead of
   * following it (ADR 0220). Join with {@link #join}.
   */
  static CompletableFuture<WorkingKeys> ingestKeysInBackground(String rootKeyId) {
    return inBackground(() -> ingestKeys(rootKeyId));
  }

  private static CompletableFuture<WorkingKeys> inBackground(
      java.util.function.Supplier<WorkingKeys> derivation) {
    CompletableFuture<WorkingKeys> keys = new CompletableFuture<>();
    Thread derive =
        new Thread(
            () -> {
              try {
                keys.complete(derivation.get());
              } catch (RuntimeException | Error e) {
                keys.completeExceptionally(e);
              }
            },
            "familylink-working-keys");
    derive.setDaemon(true);
    derive.start();
    return keys;
  }

  /**
   * The background value, or its failure rethrown as it was thrown (a clear configuration error).
   */
  static <T> T join(CompletableFuture<T> value) {
    try {
      return value.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }
}
