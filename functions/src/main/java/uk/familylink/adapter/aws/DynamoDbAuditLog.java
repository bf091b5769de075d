package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRY_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.audit.AuditLog;

/**
 * Append-only audit table: pk {@code AUDIT#<yyyy-MM-dd (UTC) of the entry>}, sk {@code <ISO
 * instant>#<entry id>}; attributes kind, details (M of S/N), expiresAt (N), expiryPk. Writes are
 * conditional on the item not existing, so an entry is never overwritten.
 */
public final class DynamoDbAuditLog implements AuditLog {

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private final DynamoDbClient ddb;
  private final String table;

  public DynamoDbAuditLog(DynamoDbClient ddb, String tableName) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.table = Objects.requireNonNull(tableName, "tableName");
  }

  public static String partitionKey(AuditEntry entry) {
    return LinkedTable.AUDIT_PREFIX + DAY.format(entry.at());
  }

  public static String sortKey(AuditEntry entry) {
    return entry.at().toString() + "#" + entry.id();
  }

  @Override
  public boolean appendIfAbsent(AuditEntry entry) {
    String pk = partitionKey(entry);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, AttributeValue.fromS(pk));
    item.put(SK, AttributeValue.fromS(sortKey(entry)));
    item.put("id", AttributeValue.fromS(entry.id()));
    item.put("at", AttributeValue.fromS(entry.at().toString()));
    item.put("kind", AttributeValue.fromS(entry.kind()));
    item.put("details", AttributeValue.fromM(details(entry.details())));
    item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(entry.expiresAt())));
    item.put(EXPIRY_PK, AttributeValue.fromS(DynamoDbTables.expiryPk(pk, entry.expiresAt())));
    try {
      ddb.putItem(
          b ->
              b.tableName(table)
                  .item(item)
                  .conditionExpression("attribute_not_exists(#pk)")
                  .expressionAttributeNames(Map.of("#pk", PK)));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw AwsAdapterException.of("PutItem(audit)", e);
    }
  }

  /**
   * Numbers stay numbers; everything else (names, keys, enums, durations, lists) becomes a string.
   */
  static Map<String, AttributeValue> details(Map<String, Object> details) {
    Map<String, AttributeValue> out = new HashMap<>();
    if (details == null) {
      return out;
    }
    details.forEach(
        (k, v) -> {
          if (v == null) {
            return;
          }
          if (v instanceof Number number) {
            out.put(k, AttributeValue.fromN(number.toString()));
          } else if (v instanceof Collection<?> c) {
            out.put(
                k,
                AttributeValue.fromS(
                    c.stream().map(String::valueOf).collect(Collectors.joining(","))));
          } else if (v instanceof Map<?, ?>) {
            throw new IllegalArgumentException(
                "audit detail '" + k + "' is a map; details hold scalars only");
          } else {
            out.put(k, AttributeValue.fromS(String.valueOf(v)));
          }
        });
    return out;
  }
}
