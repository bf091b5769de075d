package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import uk.familylink.adapter.aws.DynamoDbExpiredItems;
import uk.familylink.adapter.aws.DynamoDbTables;
import uk.familylink.adapter.aws.ExpiryIndexAccess;
import uk.familylink.domain.retention.ExpiredItemStore;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.RetentionSweep;
import uk.familylink.domain.retention.SweepResult;
import uk.familylink.domain.retention.SweepSettings;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.LocalSweep;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * Time travel: a synthetic population ingested through the real handler in June 2026, then the
 * retention sweep (real adapters, DynamoDB Local, s3proxy) run as of dates around the retention
 * expiry (programme end 2026-03-31 + 6 years: 2032-04-01T00:00Z). With TTL doing part of the work
 * first (and its evidence in the audit): {@link TtlThenSweepTimeTravelTest}.
 */
class RetentionSweepTest {

  /** The local tool's folder (keyring, logs); JUnit removes it afterwards. */
  @TempDir Path workDir;

  private static final Instant INGESTED = Instant.parse("2026-06-01T09:00:00Z");
  private static final RetentionPolicy RETENTION = LocalSweep.localRetention();
  private static final Instant DAY_AFTER_EXPIRY = RETENTION.expiresAt().plusSeconds(86_400);
  private static final Instant JUST_BEFORE_EXPIRY = RETENTION.expiresAt().minusSeconds(1);

  private EmbeddedAws aws;
  private LocalFamilyLink familyLink;

  @BeforeEach
  void ingestASmallPopulation() throws Exception {
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
    Path home = workDir;
    Clock clock = Clock.fixed(INGESTED, ZoneOffset.UTC);
    familyLink = LocalFamilyLink.start(aws, home, clock);
    LocalSweep.ingestSyntheticPopulation(familyLink, 50, 7, home, clock);
    // A stray upload nobody processed (the poller is not run again), written "now" by the wall
    // clock.
    aws.s3()
        .putObject(
            b -> b.bucket(aws.bucket()).key("incoming/police/police-incidents/stray.csv"),
            RequestBody.fromString("record_ref\n"));
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private RetentionSweep sweepAsOf(Instant now) {
    return LocalSweep.sweep(aws, RETENTION, Clock.fixed(now, ZoneOffset.UTC));
  }

  private List<Map<String, AttributeValue>> items(String table) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    aws.dynamoDb()
        .scanPaginator(b -> b.tableName(table).consistentRead(true))
        .items()
        .forEach(out::add);
    return out;
  }

  /** Items by kind, as the sweep names kinds (pk prefix; merges by sk). */
  private Map<String, Long> kinds(String table) {
    Map<String, Long> out = new TreeMap<>();
    for (Map<String, AttributeValue> item : items(table)) {
      String pk = item.get("pk").s();
      String kind = pk.substring(0, pk.indexOf('#'));
      if ("MERGE".equals(item.get("sk").s())) {
        kind = "MERGE";
      }
      out.merge(kind, 1L, Long::sum);
    }
    return out;
  }

  private List<String> objects() {
    List<String> keys = new ArrayList<>();
    aws.s3()
        .listObjectsV2Paginator(b -> b.bucket(aws.bucket()))
        .contents()
        .forEach(o -> keys.add(o.key()));
    return keys;
  }

  private void plant(String table, String pk, String sk, Instant expiresAt) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(pk));
    item.put("sk", AttributeValue.fromS(sk));
    item.put(
        DynamoDbTables.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
    item.put(
        DynamoDbTables.EXPIRY_PK,
        AttributeValue.fromS(DynamoDbTables.expiryPk(pk, expiresAt.getEpochSecond())));
    aws.dynamoDb().putItem(b -> b.tableName(table).item(item));
  }

  private Map<String, AttributeValue> onlyAuditEntry() {
    List<Map<String, AttributeValue>> audit = items(LocalFamilyLink.AUDIT_TABLE);
    assertThat(audit).hasSize(1);
    return audit.get(0);
  }

  @Test
  void aDayAfterExpiryNothingRemainsButTheDestructionEntryWhichCountsWhatWasDestroyed() {
    Map<String, Long> linkedBefore = kinds(LocalFamilyLink.TABLE);
    long auditBefore = items(LocalFamilyLink.AUDIT_TABLE).size();
    long reportsBefore = objects().stream().filter(k -> k.startsWith("reports/")).count();
    assertThat(linkedBefore.get("REC")).isGreaterThan(100);
    assertThat(linkedBefore).containsKeys("ID", "PERSON", "FAMILY", "FILE");
    assertThat(auditBefore).isEqualTo(7); // one INGEST entry per dataset
    assertThat(reportsBefore).isEqualTo(14); // json + txt per upload

    SweepResult result = sweepAsOf(DAY_AFTER_EXPIRY).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(SweepResult.Status.COMPLETE);
    assertThat(items(LocalFamilyLink.TABLE)).isEmpty();
    assertThat(objects()).isEmpty();
    Map<String, AttributeValue> entry = onlyAuditEntry();
    assertThat(entry.get("kind").s()).isEqualTo("DESTRUCTION");
    Map<String, AttributeValue> details = entry.get("details").m();
    linkedBefore.forEach(
        (kind, n) ->
            assertThat(details.get("deleted." + kind).n()).as(kind).isEqualTo(Long.toString(n)));
    assertThat(details.get("deleted.AUDIT").n()).isEqualTo(Long.toString(auditBefore));
    assertThat(details.get("deletedItems").n())
        .isEqualTo(
            Long.toString(
                linkedBefore.values().stream().mapToLong(Long::longValue).sum() + auditBefore));
    assertThat(details.get("objects.reports").n()).isEqualTo(Long.toString(reportsBefore));
    assertThat(details.get("objects.incoming").n()).isEqualTo("1");
    assertThat(details.get("remainingItems").n()).isEqualTo("0");
    assertThat(details.get("remainingObjects").n()).isEqualTo("0");
    assertThat(details.get("status").s()).isEqualTo("COMPLETE");
    assertThat(entry.get(DynamoDbTables.EXPIRES_AT).n())
        .isEqualTo(
            Long.toString(DAY_AFTER_EXPIRY.atZone(ZoneOffset.UTC).plusYears(1).toEpochSecond()));
  }

  @Test
  void aSweepBeforeExpiryDeletesNoItemAndNoReport() {
    int linked = items(LocalFamilyLink.TABLE).size();
    int audit = items(LocalFamilyLink.AUDIT_TABLE).size();
    List<String> reports = objects().stream().filter(k -> k.startsWith("reports/")).toList();

    SweepResult result = sweepAsOf(JUST_BEFORE_EXPIRY).run(() -> Long.MAX_VALUE);

    assertThat(result.deletedItems()).isZero();
    assertThat(items(LocalFamilyLink.TABLE)).hasSize(linked);
    assertThat(objects()).containsAll(reports);
    // Only the stray upload (older than a day by then) went, and that is audited.
    assertThat(objects()).doesNotContain("incoming/police/police-incidents/stray.csv");
    assertThat(items(LocalFamilyLink.AUDIT_TABLE)).hasSize(audit + 1);
  }

  @Test
  void liveItemsPlantedBesideExpiredOnesSurvive() {
    Instant oneSecondLater =
        DAY_AFTER_EXPIRY.plusSeconds(1); // same month partition as the expired items
    plant(LocalFamilyLink.TABLE, "REC#police-incidents#live-same-month", "REC", oneSecondLater);
    plant(LocalFamilyLink.TABLE, "PERSON#Plive", "PERSON", oneSecondLater);
    plant(
        LocalFamilyLink.TABLE,
        "FAMILY#HOUSEHOLD#live",
        "MEMBER#Plive",
        Instant.parse("2040-01-01T00:00:00Z"));
    plant(
        LocalFamilyLink.AUDIT_TABLE,
        "AUDIT#2032-04-01",
        "2032-04-01T10:00:00Z#live",
        oneSecondLater);
    // A long-expired item from before the population, in another month's partition, goes too.
    plant(
        LocalFamilyLink.TABLE,
        "REC#police-incidents#old",
        "REC",
        Instant.parse("2027-01-01T00:00:00Z"));

    SweepResult result = sweepAsOf(DAY_AFTER_EXPIRY).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(SweepResult.Status.COMPLETE);
    assertThat(items(LocalFamilyLink.TABLE))
        .extracting(i -> i.get("pk").s())
        .containsExactlyInAnyOrder(
            "REC#police-incidents#live-same-month", "PERSON#Plive", "FAMILY#HOUSEHOLD#live");
    assertThat(items(LocalFamilyLink.AUDIT_TABLE))
        .extracting(i -> i.get("sk").s())
        .contains("2032-04-01T10:00:00Z#live")
        .hasSize(2);
  }

  /** Counts deletions, so the test's deadline can arrive after a given number of them. */
  private static final class CountingStore implements ExpiredItemStore {
    final ExpiredItemStore delegate;
    final AtomicInteger deleted = new AtomicInteger();

    CountingStore(ExpiredItemStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public List<String> partitions(YearMonth month) {
      return delegate.partitions(month);
    }

    @Override
    public Page findExpired(Table table, String partition, long now, String cursor) {
      return delegate.findExpired(table, partition, now, cursor);
    }

    @Override
    public List<ItemKey> confirmExpired(Table table, List<ItemKey> keys, long now) {
      return delegate.confirmExpired(table, keys, now);
    }

    @Override
    public void delete(Table table, List<ItemKey> keys) {
      delegate.delete(table, keys);
      deleted.addAndGet(keys.size());
    }
  }

  @Test
  void aSweepStoppedByTheDeadlineFinishesOnTheNextRun() {
    long total =
        (long) items(LocalFamilyLink.TABLE).size() + items(LocalFamilyLink.AUDIT_TABLE).size();
    CountingStore store = new CountingStore(LocalSweep.expiredItems(aws));
    Clock clock = Clock.fixed(DAY_AFTER_EXPIRY, ZoneOffset.UTC);
    SweepSettings settings = SweepSettings.defaults(RETENTION, aws.bucket());

    SweepResult first =
        LocalSweep.sweep(aws, store, settings, clock)
            .run(() -> store.deleted.get() >= 60 ? 0 : 60_000);

    assertThat(first.status()).isEqualTo(SweepResult.Status.INTERRUPTED);
    assertThat(first.deletedItems()).isBetween(60L, total - 1);
    assertThat(items(LocalFamilyLink.TABLE)).isNotEmpty();

    SweepResult second = LocalSweep.sweep(aws, store, settings, clock).run(() -> 60_000);

    assertThat(second.status()).isEqualTo(SweepResult.Status.COMPLETE);
    assertThat(first.deletedItems() + second.deletedItems()).isEqualTo(total);
    assertThat(items(LocalFamilyLink.TABLE)).isEmpty();
    assertThat(items(LocalFamilyLink.AUDIT_TABLE))
        .extracting(i -> i.get("details").m().get("status").s())
        .containsExactlyInAnyOrder("INTERRUPTED", "COMPLETE");
  }

  @Test
  void throttledDeletesAreRetriedWithBackoffAndTheSweepCompletes() {
    AtomicInteger throttled = new AtomicInteger();
    DynamoDbClient real = aws.dynamoDb();
    DynamoDbClient throttling =
        (DynamoDbClient)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("batchWriteItem")
                      && throttled.getAndIncrement() % 2 == 0) {
                    throw ProvisionedThroughputExceededException.builder()
                        .statusCode(400)
                        .awsErrorDetails(
                            AwsErrorDetails.builder()
                                .errorCode("ProvisionedThroughputExceededException")
                                .build())
                        .build();
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    ExpiredItemStore store =
        new DynamoDbExpiredItems(
            ExpiryIndexAccess.of(
                throttling,
                LocalFamilyLink.TABLE,
                LocalFamilyLink.AUDIT_TABLE,
                4,
                java.time.Duration.ofMillis(1)));

    SweepResult result =
        LocalSweep.sweep(
                aws,
                store,
                SweepSettings.defaults(RETENTION, aws.bucket()),
                Clock.fixed(DAY_AFTER_EXPIRY, ZoneOffset.UTC))
            .run(() -> Long.MAX_VALUE);

    assertThat(throttled.get()).isGreaterThan(2);
    assertThat(result.status()).isEqualTo(SweepResult.Status.COMPLETE);
    assertThat(items(LocalFamilyLink.TABLE)).isEmpty();
  }
}
