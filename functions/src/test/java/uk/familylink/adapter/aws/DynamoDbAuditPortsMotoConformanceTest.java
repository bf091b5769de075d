package uk.familylink.adapter.aws;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import uk.familylink.contract.AuditPortContract;

/** The audit ports' contract against the DynamoDB adapters on moto_server (a table per test). */
class DynamoDbAuditPortsMotoConformanceTest extends AuditPortContract {

  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  private static DynamoDbClient ddb;

  @Override
  protected Ports ports() {
    if (ddb == null) {
      ddb = MOTO.endpoint().dynamoDb();
    }
    String table = "familylink-audit-" + UUID.randomUUID();
    DynamoDbTables.createAuditTable(ddb, table);
    return new Ports(new DynamoDbAuditLog(ddb, table), new DynamoDbAuditReader(ddb, table));
  }

  @AfterAll
  static void closeClient() {
    if (ddb != null) {
      ddb.close();
      ddb = null;
    }
  }
}
