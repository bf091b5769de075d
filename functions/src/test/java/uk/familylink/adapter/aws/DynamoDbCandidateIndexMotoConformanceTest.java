package uk.familylink.adapter.aws;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DynamoDbCandidateIndexConformance} against moto_server, one call at a time: moto (5.x)
 * answers TransactWriteItems calls that overlap with HTTP 500 ({@code RuntimeError: dictionary
 * changed size during iteration} while it copies the tables to roll back), so the two-writer tests
 * are skipped here and run against DynamoDB Local ({@code
 * DynamoDbCandidateIndexDynamoDbLocalTest}).
 */
class DynamoDbCandidateIndexMotoConformanceTest extends DynamoDbCandidateIndexConformance {

  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected AwsEndpoint endpoint() {
    return MOTO.endpoint();
  }

  @Override
  protected int concurrency() {
    return 1;
  }

  @Override
  protected boolean concurrentConditionsHold() {
    return false;
  }
}
