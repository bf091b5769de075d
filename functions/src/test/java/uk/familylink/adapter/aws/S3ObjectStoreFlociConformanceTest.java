package uk.familylink.adapter.aws;

import io.floci.testcontainers.FlociContainer;
import java.net.URI;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.regions.Region;

/**
 * {@link S3ObjectStoreConformance} against Floci in a container; skipped where no Docker engine is
 * reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
class S3ObjectStoreFlociConformanceTest extends S3ObjectStoreConformance {

  @Container static final FlociContainer FLOCI = new FlociContainer().withRegion("eu-west-2");

  @Override
  protected AwsEndpoint endpoint() {
    return new AwsEndpoint(URI.create(FLOCI.getEndpoint()), Region.of(FLOCI.getRegion()));
  }
}
