package uk.familylink.adapter.aws;

import java.net.URI;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.regions.Region;

/**
 * LocalStack for the conformance suites, through Testcontainers. The suites using it run only where
 * a Docker engine is reachable ({@code @Testcontainers(disabledWithoutDocker = true)}) and {@value
 * #TOKEN} is set — current LocalStack images require an auth token — and are reported as skipped
 * otherwise. Floci remains the token-free drop-in.
 */
final class LocalStack {

  static final String TOKEN = "LOCALSTACK_AUTH_TOKEN";
  static final String IMAGE = "localstack/localstack:4.9";

  private LocalStack() {}

  @SuppressWarnings("resource") // closed by the Testcontainers extension (@Container)
  static LocalStackContainer container() {
    LocalStackContainer c = new LocalStackContainer(DockerImageName.parse(IMAGE));
    String token = System.getenv(TOKEN);
    if (token != null) {
      c.withEnv(TOKEN, token);
    }
    return c;
  }

  static AwsEndpoint endpoint(LocalStackContainer c) {
    return new AwsEndpoint(URI.create(c.getEndpoint().toString()), Region.of(c.getRegion()));
  }
}
