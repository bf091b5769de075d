package uk.familylink.adapter.aws;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link KmsKeyPortConformance} against moto_server. */
class KmsKeyPortMotoConformanceTest extends KmsKeyPortConformance {

  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected AwsEndpoint endpoint() {
    return MOTO.endpoint();
  }
}
