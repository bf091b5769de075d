package uk.familylink.local.aws;

import org.junit.jupiter.api.AfterAll;
import uk.familylink.adapter.aws.AwsEndpoint;
import uk.familylink.adapter.aws.DynamoDbCandidateIndexConformance;

/**
 * {@link DynamoDbCandidateIndexConformance} against DynamoDB Local (as a loopback server on a free
 * port), the emulator the local tool and the benches use.
 */
class DynamoDbCandidateIndexDynamoDbLocalTest extends DynamoDbCandidateIndexConformance {

  private EmbeddedAws aws;

  @Override
  protected AwsEndpoint endpoint() {
    if (aws == null) {
      aws =
          EmbeddedAws.start(
              EmbeddedAws.Options.defaults().withDynamoMode(EmbeddedAws.DynamoMode.SERVER));
    }
    return new AwsEndpoint(aws.dynamoDbEndpoint().orElseThrow(), aws.region());
  }

  @AfterAll
  void stop() {
    if (aws != null) {
      aws.close();
    }
  }
}
