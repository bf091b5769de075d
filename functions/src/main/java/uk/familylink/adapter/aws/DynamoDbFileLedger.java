package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRY_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import uk.familylink.domain.ingest.FileLedger;

/**
 * The file ledger in the linked-data table: item {@code FILE#<fileId>} / {@code FILE} with status
 * (IN_PROGRESS, RELEASED, DONE, FAILED), attempt (the owning attempt's id), leaseUntilMs (N, epoch
 * milliseconds), failures (N), lastRow (N) and counts (M of N) of the checkpoint, outcome,
 * startedAt, completedAt, expiresAt, expiryPk.
 *
 * <p>Every state change is one conditional UpdateItem: begin takes the file only when it is new,
 * released, or its lease ran out; renew and release only while the caller's attempt owns it. An
 * item from before leases were in milliseconds ({@code leaseUntil}, seconds) is honoured.
 */
public final class DynamoDbFileLedger implements FileLedger {

  private static final String SK_FILE = "FILE";
  static final String IN_PROGRESS = "IN_PROGRESS";
  static final String RELEASED = "RELEASED";
  static final String DONE = "DONE";
  static final String FAILED = "FAILED";

  private final DynamoDbClient ddb;
  private final String table;

  public DynamoDbFileLedger(DynamoDbClient ddb, String tableName) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.table = Objects.requireNonNull(tableName, "tableName");
  }

  static String filePk(String fileId) {
    return LinkedTable.FILE_PREFIX + fileId;
  }

  private static Map<String, AttributeValue> key(String fileId) {
    return Map.of(PK, s(filePk(fileId)), SK, s(SK_FILE));
  }

  @Override
  public Claim begin(String fileId, Instant now, Duration lease, long expiresAt) {
    String attempt = UUID.randomUUID().toString();
    String pk = filePk(fileId);
    for (int round = 0; round < 3; round++) {
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":inProgress", s(IN_PROGRESS));
      values.put(":done", s(DONE));
      values.put(":failed", s(FAILED));
      values.put(":a", s(attempt));
      values.put(":lease", n(now.plus(lease).toEpochMilli()));
      values.put(":nowMs", n(now.toEpochMilli()));
      values.put(":nowS", n(now.getEpochSecond()));
      values.put(":nowIso", s(now.toString()));
      values.put(":exp", n(expiresAt));
      values.put(":xpk", s(DynamoDbTables.expiryPk(pk, expiresAt)));
      try {
        UpdateItemResponse resp =
            ddb.updateItem(
                b ->
                    b.tableName(table)
                        .key(key(fileId))
                        .updateExpression(
                            "SET #st = :inProgress, attempt = :a, leaseUntilMs = :lease,"
                                + " startedAt = if_not_exists(startedAt, :nowIso), #exp = :exp,"
                                + " #xpk = :xpk")
                        .conditionExpression(
                            "attribute_not_exists(#pk) OR #exp <= :nowS OR (#st <> :done AND #st"
                                + " <> :failed AND (leaseUntilMs < :nowMs OR"
                                + " (attribute_not_exists(leaseUntilMs) AND (attribute_not_exists(leaseUntil)"
                                + " OR leaseUntil < :nowS))))")
                        .expressionAttributeNames(
                            Map.of(
                                "#pk", PK, "#st", "status", "#exp", EXPIRES_AT, "#xpk", EXPIRY_PK))
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_OLD));
        Map<String, AttributeValue> old = resp.hasAttributes() ? resp.attributes() : Map.of();
        return taken(fileId, attempt, old, now);
      } catch (ConditionalCheckFailedException taken) {
        Map<String, AttributeValue> existing =
            call(
                    "GetItem(ledger)",
                    () ->
                        ddb.getItem(b -> b.tableName(table).key(key(fileId)).consistentRead(true)))
                .item();
        if (existing == null || existing.isEmpty()) {
          continue; // vanished between the two calls: try to take it again
        }
        String status = str(existing, "status");
        if (DONE.equals(status)) {
          return new Done(str(existing, "outcome"));
        }
        if (FAILED.equals(status)) {
          return new Failed((int) num(existing, "failures"));
        }
        long until =
            existing.containsKey("leaseUntilMs")
                ? num(existing, "leaseUntilMs")
                : num(existing, "leaseUntil") * 1000;
        return new Held(Instant.ofEpochMilli(until));
      } catch (SdkException e) {
        throw AwsAdapterException.of("UpdateItem(ledger begin)", e);
      }
    }
    return new Held(now.plus(lease));
  }

  /** The file is ours; what the previous state says about earlier attempts. */
  private Claim taken(String fileId, String attempt, Map<String, AttributeValue> old, Instant now) {
    boolean fresh =
        old.isEmpty()
            || (old.containsKey(EXPIRES_AT) && num(old, EXPIRES_AT) <= now.getEpochSecond());
    if (fresh) {
      if (!old.isEmpty()) {
        // an expired ledger item of an earlier life of this id: forget its progress
        update(
            fileId,
            attempt,
            "REMOVE failures, lastRow, counts, outcome",
            new HashMap<>(),
            "ledger reset");
      }
      return new Owned(attempt, 0, Checkpoint.NONE);
    }
    int failures = (int) num(old, "failures");
    if (IN_PROGRESS.equals(str(old, "status"))) {
      // the previous attempt's lease ran out without a release: it crashed (or timed out)
      failures++;
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":f", n(failures));
      update(fileId, attempt, "SET failures = :f", values, "ledger crash count");
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    AttributeValue m = old.get("counts");
    if (m != null && m.hasM()) {
      m.m().forEach((k, v) -> counts.put(k, Long.parseLong(v.n())));
    }
    return new Owned(attempt, failures, new Checkpoint(num(old, "lastRow"), counts));
  }

  @Override
  public boolean renew(
      String fileId,
      String attemptId,
      Instant now,
      Duration lease,
      Checkpoint checkpoint,
      long expiresAt) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":lease", n(now.plus(lease).toEpochMilli()));
    values.put(":row", n(checkpoint.lastRow()));
    values.put(":counts", counts(checkpoint));
    return update(
        fileId,
        attemptId,
        "SET leaseUntilMs = :lease, lastRow = :row, counts = :counts",
        values,
        "ledger renew");
  }

  @Override
  public int release(
      String fileId,
      String attemptId,
      Instant now,
      boolean failed,
      Checkpoint checkpoint,
      long expiresAt) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":released", s(RELEASED));
    values.put(":nowMs", n(now.toEpochMilli()));
    values.put(":a", s(attemptId));
    values.put(":inProgress", s(IN_PROGRESS));
    values.put(":row", n(checkpoint.lastRow()));
    values.put(":counts", counts(checkpoint));
    String expression =
        "SET #st = :released, leaseUntilMs = :nowMs, lastRow = :row, counts = :counts";
    if (failed) {
      values.put(":one", n(1));
      expression += " ADD failures :one";
    }
    String update = expression;
    try {
      UpdateItemResponse resp =
          ddb.updateItem(
              b ->
                  b.tableName(table)
                      .key(key(fileId))
                      .updateExpression(update)
                      .conditionExpression("attempt = :a AND #st = :inProgress")
                      .expressionAttributeNames(Map.of("#st", "status"))
                      .expressionAttributeValues(values)
                      .returnValues(ReturnValue.ALL_NEW));
      return (int) num(resp.attributes(), "failures");
    } catch (ConditionalCheckFailedException lost) {
      return 0;
    } catch (SdkException e) {
      throw AwsAdapterException.of("UpdateItem(ledger release)", e);
    }
  }

  @Override
  public void complete(
      String fileId, String attemptId, String outcome, Instant now, long expiresAt) {
    finalState(fileId, DONE, outcome, now, expiresAt);
  }

  @Override
  public void giveUp(String fileId, String attemptId, Instant now, long expiresAt) {
    finalState(fileId, FAILED, "FAILED", now, expiresAt);
  }

  /**
   * Unconditional: whoever finishes the file ends it (an attempt that lost its lease meanwhile
   * finds it done at its next renewal and stops).
   */
  private void finalState(String fileId, String status, String outcome, Instant now, long exp) {
    String pk = filePk(fileId);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":st", s(status));
    values.put(":outcome", s(outcome));
    values.put(":at", s(now.toString()));
    values.put(":exp", n(exp));
    values.put(":xpk", s(DynamoDbTables.expiryPk(pk, exp)));
    values.put(":zero", n(0));
    call(
        "UpdateItem(ledger " + status + ")",
        () ->
            ddb.updateItem(
                b ->
                    b.tableName(table)
                        .key(key(fileId))
                        .updateExpression(
                            "SET #st = :st, outcome = :outcome, completedAt = :at,"
                                + " leaseUntilMs = :zero, #exp = :exp, #xpk = :xpk")
                        .expressionAttributeNames(
                            Map.of("#st", "status", "#exp", EXPIRES_AT, "#xpk", EXPIRY_PK))
                        .expressionAttributeValues(values)));
  }

  /** An update made only while {@code attemptId} owns the file; false when it no longer does. */
  private boolean update(
      String fileId,
      String attemptId,
      String expression,
      Map<String, AttributeValue> values,
      String what) {
    values.put(":a", s(attemptId));
    values.put(":inProgress", s(IN_PROGRESS));
    try {
      ddb.updateItem(
          b ->
              b.tableName(table)
                  .key(key(fileId))
                  .updateExpression(expression)
                  .conditionExpression("attempt = :a AND #st = :inProgress")
                  .expressionAttributeNames(Map.of("#st", "status"))
                  .expressionAttributeValues(values));
      return true;
    } catch (ConditionalCheckFailedException lost) {
      return false;
    } catch (SdkException e) {
      throw AwsAdapterException.of("UpdateItem(" + what + ")", e);
    }
  }

  private static AttributeValue counts(Checkpoint checkpoint) {
    Map<String, AttributeValue> counts = new HashMap<>();
    checkpoint.counts().forEach((k, v) -> counts.put(k, n(v)));
    return AttributeValue.fromM(counts);
  }

  private static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static long num(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item == null ? null : item.get(name);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static <T> T call(String operation, java.util.function.Supplier<T> body) {
    try {
      return body.get();
    } catch (SdkException e) {
      throw AwsAdapterException.of(operation, e);
    }
  }
}
