package uk.familylink.adapter.aws;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * {@link DynamoDbAuditLogConformance} against LocalStack; skipped without Docker or without an auth
 * token.
 */
@Testcontainers(disabledWithoutDocker = true)
@EnabledIfEnvironmentVariable(
    named = LocalStack.TOKEN,
    matches = ".+",
    disabledReason =
        "LocalStack needs " + LocalStack.TOKEN + " (and Docker); Floci covers the rest")
class DynamoDbAuditLogLocalStackConformanceTest extends DynamoDbAuditLogConformance {

  @Container static final LocalStackContainer LOCALSTACK = LocalStack.container();

  @Override
  protected AwsEndpoint endpoint() {
    return LocalStack.endpoint(LOCALSTACK);
  }
}
