package uk.familylink.adapter.aws;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link S3ObjectStoreConformance} against moto_server. */
class S3ObjectStoreMotoConformanceTest extends S3ObjectStoreConformance {

  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected AwsEndpoint endpoint() {
    return MOTO.endpoint();
  }
}
