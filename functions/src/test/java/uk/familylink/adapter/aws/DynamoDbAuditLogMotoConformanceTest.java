package uk.familylink.adapter.aws;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DynamoDbAuditLogConformance} against moto_server. */
class DynamoDbAuditLogMotoConformanceTest extends DynamoDbAuditLogConformance {

  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected AwsEndpoint endpoint() {
    return MOTO.endpoint();
  }
}
