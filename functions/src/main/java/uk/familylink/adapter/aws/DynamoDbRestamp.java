package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRY_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Page;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.RestampStore;
import uk.familylink.domain.retention.RestampStore.Superseded;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.RetentionRestamp;

/**
 * Re-stamping through the {@code byExpiry} index: Query {@code expiryPk = :p AND expiresAt = :old}
 * (exactly the items of the old expiry, never a Scan), then per item UpdateItem {@code SET
 * expiresAt = :new, expiryPk = :xpk} with condition {@code expiresAt = :old}: an item rewritten
 * meanwhile (ingest with the new policy, an overlapping run) or deleted is left alone.
 *
 * <p>The retention state is one item of the linked table, {@value #STATE_PK} / {@value #STATE_SK}:
 * programmeEnd, retentionYears, phase, fromProgrammeEnd/fromRetentionYears, sourceExpiries (L of
 * N), superseded (L of M {expiresAt N, supersededAt S}; absent in a state written before it
 * existed, read as none), startedAt, updatedAt, and expiresAt/expiryPk of its own policy, so it is
 * destroyed with the data. It holds no partner value. Throttling is retried with backoff; other
 * failures become an {@link AwsAdapterException} without request content.
 */
public final class DynamoDbRestamp implements RestampStore {

  public static final String STATE_PK = "RETENTION#STATE";
  public static final String STATE_SK = "STATE";

  /** The state attribute holding the superseded expiries. */
  public static final String SUPERSEDED = "superseded";

  private final DynamoDbClient ddb;
  private final ExpiryIndexAccess index;

  /** The tables and retry policy: {@link ExpiryIndexAccess#of}. */
  public DynamoDbRestamp(ExpiryIndexAccess index) {
    this.index = index;
    this.ddb = index.ddb();
  }

  private static Map<String, AttributeValue> stateKey() {
    return Map.of(PK, AttributeValue.fromS(STATE_PK), SK, AttributeValue.fromS(STATE_SK));
  }

  @Override
  public Optional<RetentionState> readState() {
    GetItemResponse response =
        index.withRetry(
            "GetItem(retention state)",
            () ->
                ddb.getItem(
                    b -> b.tableName(index.linkedTable()).key(stateKey()).consistentRead(true)));
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = response.item();
    RetentionPolicy policy =
        new RetentionPolicy(
            LocalDate.parse(item.get("programmeEnd").s()),
            Integer.parseInt(item.get("retentionYears").n()));
    RetentionPolicy from =
        item.containsKey("fromProgrammeEnd")
            ? new RetentionPolicy(
                LocalDate.parse(item.get("fromProgrammeEnd").s()),
                Integer.parseInt(item.get("fromRetentionYears").n()))
            : null;
    List<Long> sources = new ArrayList<>();
    if (item.containsKey("sourceExpiries")) {
      item.get("sourceExpiries").l().forEach(v -> sources.add(Long.parseLong(v.n())));
    }
    List<Superseded> superseded = new ArrayList<>();
    if (item.containsKey(SUPERSEDED) && item.get(SUPERSEDED).hasL()) {
      item.get(SUPERSEDED)
          .l()
          .forEach(
              v ->
                  superseded.add(
                      new Superseded(
                          Long.parseLong(v.m().get("expiresAt").n()),
                          Instant.parse(v.m().get("supersededAt").s()))));
    }
    return Optional.of(
        new RetentionState(
            policy,
            Phase.valueOf(item.get("phase").s()),
            from,
            sources,
            Instant.parse(item.get("startedAt").s()),
            Instant.parse(item.get("updatedAt").s()),
            superseded));
  }

  @Override
  public void writeState(RetentionState state) {
    long expiresAt = state.policy().expiresAtEpochSecond();
    Map<String, AttributeValue> item = new HashMap<>(stateKey());
    item.put("programmeEnd", AttributeValue.fromS(state.policy().programmeEnd().toString()));
    item.put(
        "retentionYears", AttributeValue.fromN(Integer.toString(state.policy().retentionYears())));
    item.put("policyExpiresAt", AttributeValue.fromS(state.policy().expiresAt().toString()));
    item.put("phase", AttributeValue.fromS(state.phase().name()));
    if (state.from() != null) {
      item.put("fromProgrammeEnd", AttributeValue.fromS(state.from().programmeEnd().toString()));
      item.put(
          "fromRetentionYears",
          AttributeValue.fromN(Integer.toString(state.from().retentionYears())));
    }
    item.put(
        "sourceExpiries",
        AttributeValue.fromL(
            state.sourceExpiries().stream()
                .map(s -> AttributeValue.fromN(Long.toString(s)))
                .toList()));
    item.put(
        SUPERSEDED,
        AttributeValue.fromL(
            state.superseded().stream()
                .map(
                    s ->
                        AttributeValue.fromM(
                            Map.of(
                                "expiresAt",
                                AttributeValue.fromN(Long.toString(s.expiresAt())),
                                "supersededAt",
                                AttributeValue.fromS(s.supersededAt().toString()))))
                .toList()));
    item.put("startedAt", AttributeValue.fromS(state.startedAt().toString()));
    item.put("updatedAt", AttributeValue.fromS(state.updatedAt().toString()));
    item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
    item.put(EXPIRY_PK, AttributeValue.fromS(DynamoDbTables.expiryPk(STATE_PK, expiresAt)));
    index.withRetry(
        "PutItem(retention state)",
        () -> ddb.putItem(b -> b.tableName(index.linkedTable()).item(item)));
  }

  @Override
  public List<String> partitions(YearMonth month) {
    return ExpiryIndexAccess.partitions(month);
  }

  @Override
  public Page findStamped(Table table, String partition, long expiresAt, String cursor) {
    return index.queryKeys("Query(byExpiry, restamp)", table, partition, "=", expiresAt, cursor);
  }

  /** On the audit table, entries kept by their own rule are left alone (RestampStore#restamp). */
  private static final String AUDIT_CONDITION;

  private static final Map<String, AttributeValue> OWN_RETENTION_KINDS = new HashMap<>();

  static {
    List<String> placeholders = new ArrayList<>();
    for (String kind : RetentionRestamp.KINDS_WITH_OWN_RETENTION) {
      String placeholder = ":own" + placeholders.size();
      placeholders.add(placeholder);
      OWN_RETENTION_KINDS.put(placeholder, AttributeValue.fromS(kind));
    }
    AUDIT_CONDITION = "#exp = :old AND NOT (#kind IN (" + String.join(", ", placeholders) + "))";
  }

  @Override
  public boolean restamp(Table table, ItemKey key, long oldExpiresAt, long newExpiresAt) {
    Map<String, String> names = new HashMap<>(Map.of("#exp", EXPIRES_AT, "#xpk", EXPIRY_PK));
    Map<String, AttributeValue> values =
        new HashMap<>(
            Map.of(
                ":new", AttributeValue.fromN(Long.toString(newExpiresAt)),
                ":old", AttributeValue.fromN(Long.toString(oldExpiresAt)),
                ":xpk", AttributeValue.fromS(DynamoDbTables.expiryPk(key.pk(), newExpiresAt))));
    boolean audit = table == Table.AUDIT;
    if (audit) {
      names.put("#kind", "kind");
      values.putAll(OWN_RETENTION_KINDS);
    }
    String condition = audit ? AUDIT_CONDITION : "#exp = :old";
    try {
      index.withRetry(
          "UpdateItem(restamp)",
          () ->
              ddb.updateItem(
                  b ->
                      b.tableName(index.name(table))
                          .key(ExpiryIndexAccess.key(key))
                          .updateExpression("SET #exp = :new, #xpk = :xpk")
                          .conditionExpression(condition)
                          .expressionAttributeNames(names)
                          .expressionAttributeValues(values)));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }
}
