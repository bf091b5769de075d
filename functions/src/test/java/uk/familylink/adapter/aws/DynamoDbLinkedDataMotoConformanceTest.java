package uk.familylink.adapter.aws;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DynamoDbLinkedDataConformance} against moto_server. */
class DynamoDbLinkedDataMotoConformanceTest extends DynamoDbLinkedDataConformance {

  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected AwsEndpoint endpoint() {
    return MOTO.endpoint();
  }
}
