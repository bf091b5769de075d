package uk.familylink.adapter.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An AWS-compatible emulator endpoint and SDK clients pointed at it (dummy credentials, short
 * retries).
 */
public record AwsEndpoint(URI uri, Region region) {

  public static AwsEndpoint loopback(int port) {
    return new AwsEndpoint(URI.create("http://127.0.0.1:" + port), Region.EU_WEST_2);
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
  }

  /**
   * Two attempts and a bounded call time, so a broken emulator fails a test fast instead of hanging
   * it.
   */
  private static ClientOverrideConfiguration overrides() {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())
        .apiCallTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static UrlConnectionHttpClient.Builder http() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(30));
  }

  public S3Client s3() {
    return S3Client.builder()
        .endpointOverride(uri)
        .region(region)
        .credentialsProvider(credentials())
        .forcePathStyle(true)
        .httpClientBuilder(http())
        .overrideConfiguration(overrides())
        .build();
  }

  public DynamoDbClient dynamoDb() {
    return DynamoDbClient.builder()
        .endpointOverride(uri)
        .region(region)
        .credentialsProvider(credentials())
        .httpClientBuilder(http())
        .overrideConfiguration(overrides())
        .build();
  }

  public KmsClient kms() {
    return KmsClient.builder()
        .endpointOverride(uri)
        .region(region)
        .credentialsProvider(credentials())
        .httpClientBuilder(http())
        .overrideConfiguration(overrides())
        .build();
  }
}
