package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import uk.familylink.domain.access.AuditReader;
import uk.familylink.domain.audit.AuditEntry;

/**
 * Reads the audit table written by {@link DynamoDbAuditLog}: one Query of the day's partition
 * ({@code AUDIT#<yyyy-MM-dd>}), sort key {@code <ISO instant>#<id>} so entries come in time order,
 * optionally filtered on kind. Never a Scan. Needs only dynamodb:Query on the audit table.
 */
public final class DynamoDbAuditReader implements AuditReader {

  private final DynamoDbClient ddb;
  private final String table;

  public DynamoDbAuditReader(DynamoDbClient ddb, String tableName) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.table = Objects.requireNonNull(tableName, "tableName");
  }

  /** The partition of a UTC day, as {@link DynamoDbAuditLog#partitionKey} writes it. */
  public static String partitionKey(LocalDate day) {
    return LinkedTable.AUDIT_PREFIX + day;
  }

  @Override
  public void forEachOnDay(LocalDate day, String kind, Consumer<AuditEntry> sink) {
    Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
    Map<String, AttributeValue> values =
        new HashMap<>(Map.of(":pk", AttributeValue.fromS(partitionKey(day))));
    QueryRequest.Builder request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#pk = :pk")
            .consistentRead(true);
    if (kind != null) {
      names.put("#kind", "kind");
      values.put(":kind", AttributeValue.fromS(kind));
      request.filterExpression("#kind = :kind");
    }
    QueryRequest first =
        request.expressionAttributeNames(names).expressionAttributeValues(values).build();
    // The sort key is the ISO instant's text, which is not time order when fractions differ
    // ("10:00:00.5Z" sorts before "10:00:00Z"): a day's entries are ordered by instant here.
    List<AuditEntry> entries = new ArrayList<>();
    try {
      for (var page : ddb.queryPaginator(first)) {
        page.items().forEach(item -> entries.add(toEntry(item)));
      }
    } catch (SdkException e) {
      throw AwsAdapterException.of("Query(audit)", e);
    }
    entries.sort(Comparator.comparing(AuditEntry::at).thenComparing(AuditEntry::id));
    entries.forEach(sink);
  }

  static AuditEntry toEntry(Map<String, AttributeValue> item) {
    Map<String, Object> details = new LinkedHashMap<>();
    AttributeValue d = item.get("details");
    if (d != null && d.hasM()) {
      new TreeMap<>(d.m()).forEach((k, v) -> details.put(k, v.n() != null ? number(v.n()) : v.s()));
    }
    AttributeValue exp = item.get(EXPIRES_AT);
    return new AuditEntry(
        str(item, "id"),
        Instant.parse(str(item, "at")),
        str(item, "kind"),
        details,
        exp == null || exp.n() == null ? 0 : Long.parseLong(exp.n()));
  }

  /** Whole numbers come back as Long (what the writers store); anything else as BigDecimal. */
  private static Object number(String n) {
    BigDecimal value = new BigDecimal(n);
    try {
      return value.longValueExact();
    } catch (ArithmeticException notWhole) {
      return value;
    }
  }

  private static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }
}
