package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbRestamp;
import uk.familylink.adapter.aws.DynamoDbTables;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Page;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.RestampResult;
import uk.familylink.domain.retention.RestampStore;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.SweepResult;
import uk.familylink.fakes.Keys;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.LocalRestamp;
import uk.familylink.local.LocalSweep;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * The programme end date changes after a synthetic population was ingested (June 2026, programme
 * end 2026-03-31 + 6 years): the re-stamp through the real adapter on DynamoDB Local, then
 * time-travel sweeps around the old and the new expiry.
 */
class RetentionRestampTest {

  /** The local tool's folder (keyring, logs); JUnit removes it afterwards. */
  @TempDir Path workDir;

  private static final Instant INGESTED = Instant.parse("2026-06-01T09:00:00Z");
  private static final Instant CHANGED = Instant.parse("2026-09-01T09:00:00Z");
  private static final RetentionPolicy OLD = LocalSweep.localRetention();
  private static final RetentionPolicy LATER = new RetentionPolicy(LocalDate.of(2027, 3, 31), 6);
  private static final RetentionPolicy EARLIER = new RetentionPolicy(LocalDate.of(2026, 3, 31), 4);
  private static final Clock AT_CHANGE = Clock.fixed(CHANGED, ZoneOffset.UTC);

  private EmbeddedAws aws;

  @BeforeEach
  void ingestASmallPopulationAndRecordTheBaseline() throws Exception {
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
    Path home = workDir;
    Clock clock = Clock.fixed(INGESTED, ZoneOffset.UTC);
    LocalFamilyLink familyLink = LocalFamilyLink.start(aws, home, clock);
    LocalSweep.ingestSyntheticPopulation(familyLink, 30, 11, home, clock);
    // The deployment's first sweep run records the policy the items carry.
    assertThat(LocalRestamp.restamp(aws, OLD, clock).run(() -> Long.MAX_VALUE).status())
        .isEqualTo(RestampResult.Status.BASELINE_RECORDED);
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private List<Map<String, AttributeValue>> items(String table) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    aws.dynamoDb()
        .scanPaginator(b -> b.tableName(table).consistentRead(true))
        .items()
        .forEach(out::add);
    return out;
  }

  private List<Map<String, AttributeValue>> dataItems() {
    return items(LocalFamilyLink.TABLE).stream()
        .filter(i -> !i.get("pk").s().equals(DynamoDbRestamp.STATE_PK))
        .toList();
  }

  private static long expiresAt(Map<String, AttributeValue> item) {
    return Long.parseLong(item.get(DynamoDbTables.EXPIRES_AT).n());
  }

  private Map<String, Long> kinds(List<Map<String, AttributeValue>> items) {
    Map<String, Long> out = new TreeMap<>();
    for (Map<String, AttributeValue> item : items) {
      String pk = item.get("pk").s();
      String kind = "MERGE".equals(item.get("sk").s()) ? "MERGE" : pk.substring(0, pk.indexOf('#'));
      out.merge(kind, 1L, Long::sum);
    }
    return out;
  }

  private List<Map<String, AttributeValue>> auditOf(String kind) {
    return items(LocalFamilyLink.AUDIT_TABLE).stream()
        .filter(i -> kind.equals(i.get("kind").s()))
        .toList();
  }

  private void assertEveryDataItemCarries(RetentionPolicy policy) {
    for (Map<String, AttributeValue> item : dataItems()) {
      assertThat(expiresAt(item)).isEqualTo(policy.expiresAtEpochSecond());
      assertThat(item.get(DynamoDbTables.EXPIRY_PK).s())
          .isEqualTo(DynamoDbTables.expiryPk(item.get("pk").s(), policy.expiresAtEpochSecond()));
    }
  }

  private SweepResult sweepAsOf(RetentionPolicy configured, Instant now) {
    return LocalSweep.sweep(aws, configured, Clock.fixed(now, ZoneOffset.UTC))
        .run(() -> Long.MAX_VALUE);
  }

  @Test
  void
      aLaterProgrammeEndMovesEveryItemSoASweepAtTheOldExpiryDeletesNothingAndOneAtTheNewExpiryDeletesAll() {
    Map<String, Long> before = kinds(dataItems());
    int ingestEntries = auditOf("INGEST").size();
    assertEveryDataItemCarries(OLD);

    RestampResult result = LocalRestamp.restamp(aws, LATER, AT_CHANGE).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(RestampResult.Status.COMPLETE);
    assertEveryDataItemCarries(LATER);
    before.forEach((kind, n) -> assertThat(result.updated(kind)).as(kind).isEqualTo(n));
    assertThat(result.updated("AUDIT")).isEqualTo(ingestEntries);
    assertThat(auditOf("INGEST"))
        .allSatisfy(e -> assertThat(expiresAt(e)).isEqualTo(LATER.expiresAtEpochSecond()));
    Map<String, AttributeValue> entry = auditOf("RESTAMP").get(0);
    Map<String, AttributeValue> details = entry.get("details").m();
    assertThat(details.get("status").s()).isEqualTo("COMPLETE");
    assertThat(details.get("oldProgrammeEnd").s()).isEqualTo("2026-03-31");
    assertThat(details.get("newProgrammeEnd").s()).isEqualTo("2027-03-31");
    assertThat(details.get("newRetentionYears").n()).isEqualTo("6");
    before.forEach(
        (kind, n) ->
            assertThat(details.get("updated." + kind).n()).as(kind).isEqualTo(Long.toString(n)));
    assertThat(details.get("updated.AUDIT").n()).isEqualTo(Long.toString(ingestEntries));
    // Counts and policy dates only: no key, token or partition value anywhere in the entry.
    assertThat(details.values())
        .allSatisfy(v -> assertThat(String.valueOf(v.s())).doesNotContain("#"));

    SweepResult atOldExpiry = sweepAsOf(LATER, OLD.expiresAt().plusSeconds(86_400));
    assertThat(atOldExpiry.deletedItems()).isZero();
    assertThat(dataItems())
        .hasSize((int) before.values().stream().mapToLong(Long::longValue).sum());

    SweepResult atNewExpiry = sweepAsOf(LATER, LATER.expiresAt().plusSeconds(86_400));
    assertThat(atNewExpiry.status()).isEqualTo(SweepResult.Status.COMPLETE);
    assertThat(items(LocalFamilyLink.TABLE)).isEmpty(); // the state item expires with the data
    assertThat(auditOf("INGEST")).isEmpty();
    assertThat(auditOf("RESTAMP")).hasSize(1); // kept a year beyond the new expiry
  }

  @Test
  void evidenceEntriesWhoseOwnExpiryEqualsTheOldOneByCoincidenceDoNotMove() {
    // E.g. a DESTRUCTION entry kept a year past data expiring a year earlier: its expiry can equal
    // the data's by coincidence, and it must keep its own.
    DynamoDbAuditLog audit = new DynamoDbAuditLog(aws.dynamoDb(), LocalFamilyLink.AUDIT_TABLE);
    long old = OLD.expiresAtEpochSecond();
    for (String kind : List.of("DESTRUCTION", "RESTAMP", "TTL_DELETIONS")) {
      audit.append(
          new AuditEntry("planted-" + kind, INGESTED, kind, Map.of("deletedItems", 1), old));
    }
    assertThat(auditOf("INGEST"))
        .isNotEmpty()
        .allSatisfy(i -> assertThat(expiresAt(i)).isEqualTo(old));

    RestampResult result = LocalRestamp.restamp(aws, LATER, AT_CHANGE).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(RestampResult.Status.COMPLETE);
    assertThat(auditOf("INGEST"))
        .as("processing entries move with the data")
        .allSatisfy(i -> assertThat(expiresAt(i)).isEqualTo(LATER.expiresAtEpochSecond()));
    for (String kind : List.of("DESTRUCTION", "RESTAMP", "TTL_DELETIONS")) {
      assertThat(auditOf(kind))
          .filteredOn(i -> i.get("id").s().startsWith("planted-"))
          .singleElement()
          .satisfies(i -> assertThat(expiresAt(i)).as(kind).isEqualTo(old));
    }
  }

  @Test
  void fewerRetentionYearsMoveEveryItemEarlier() {
    RestampResult result = LocalRestamp.restamp(aws, EARLIER, AT_CHANGE).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(RestampResult.Status.COMPLETE);
    assertEveryDataItemCarries(EARLIER);
    SweepResult sweep = sweepAsOf(EARLIER, EARLIER.expiresAt().plusSeconds(86_400));
    assertThat(sweep.status()).isEqualTo(SweepResult.Status.COMPLETE);
    assertThat(items(LocalFamilyLink.TABLE)).isEmpty();
  }

  /**
   * Counts updates, and can rewrite one item just before its update as a concurrent writer would.
   */
  private static final class WrappedStore implements RestampStore {
    final RestampStore delegate;
    final AtomicInteger updates = new AtomicInteger();
    ItemKey rewriteFirst;
    Runnable rewrite = () -> {};

    WrappedStore(RestampStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<RetentionState> readState() {
      return delegate.readState();
    }

    @Override
    public void writeState(RetentionState state) {
      delegate.writeState(state);
    }

    @Override
    public List<String> partitions(YearMonth month) {
      return delegate.partitions(month);
    }

    @Override
    public Page findStamped(Table table, String partition, long expiresAt, String cursor) {
      return delegate.findStamped(table, partition, expiresAt, cursor);
    }

    @Override
    public boolean restamp(Table table, ItemKey key, long oldExpiresAt, long newExpiresAt) {
      if (key.equals(rewriteFirst)) {
        rewrite.run();
      }
      boolean done = delegate.restamp(table, key, oldExpiresAt, newExpiresAt);
      updates.incrementAndGet();
      return done;
    }
  }

  @Test
  void aRestampStoppedByTheDeadlineResumesOnTheNextRunAndTheSweepWaitsForIt() {
    int total = dataItems().size() + auditOf("INGEST").size();
    WrappedStore store = new WrappedStore(LocalRestamp.store(aws));

    RestampResult first =
        LocalRestamp.restamp(aws, store, LATER, AT_CHANGE)
            .run(() -> store.updates.get() >= 40 ? 0 : 60_000);

    assertThat(first.status()).isEqualTo(RestampResult.Status.INTERRUPTED);
    assertThat(first.updated()).isEqualTo(40);
    assertThat(dataItems().stream().filter(i -> expiresAt(i) == OLD.expiresAtEpochSecond()))
        .isNotEmpty();
    assertThat(LocalRestamp.store(aws).readState())
        .get()
        .extracting(RestampStore.RetentionState::phase)
        .isEqualTo(RestampStore.Phase.RESTAMPING);

    RestampResult second = LocalRestamp.restamp(aws, store, LATER, AT_CHANGE).run(() -> 60_000);

    assertThat(second.status()).isEqualTo(RestampResult.Status.COMPLETE);
    assertThat(first.updated() + second.updated()).isEqualTo(total);
    assertEveryDataItemCarries(LATER);
    assertThat(auditOf("RESTAMP"))
        .extracting(e -> e.get("details").m().get("status").s())
        .containsExactlyInAnyOrder("INTERRUPTED", "COMPLETE");
  }

  @Test
  void anItemRewrittenConcurrentlyIsNotOverwritten() {
    Map<String, AttributeValue> victim =
        dataItems().stream()
            .filter(i -> i.get("pk").s().startsWith("REC#"))
            .findFirst()
            .orElseThrow();
    ItemKey key = Keys.itemKey(victim.get("pk").s(), victim.get("sk").s());
    long concurrent =
        LATER
            .expiresAt()
            .plusSeconds(3600)
            .getEpochSecond(); // a writer's own value, not the target
    WrappedStore store = new WrappedStore(LocalRestamp.store(aws));
    store.rewriteFirst = key;
    store.rewrite =
        () -> {
          Map<String, AttributeValue> item = new HashMap<>(victim);
          item.put(DynamoDbTables.EXPIRES_AT, AttributeValue.fromN(Long.toString(concurrent)));
          item.put(
              DynamoDbTables.EXPIRY_PK,
              AttributeValue.fromS(DynamoDbTables.expiryPk(key.pk(), concurrent)));
          aws.dynamoDb().putItem(b -> b.tableName(LocalFamilyLink.TABLE).item(item));
        };

    RestampResult result =
        LocalRestamp.restamp(aws, store, LATER, AT_CHANGE).run(() -> Long.MAX_VALUE);

    assertThat(result.skipped()).isEqualTo(1);
    Map<String, AttributeValue> after =
        aws.dynamoDb()
            .getItem(
                b ->
                    b.tableName(LocalFamilyLink.TABLE)
                        .consistentRead(true)
                        .key(Map.of("pk", victim.get("pk"), "sk", victim.get("sk"))))
            .item();
    assertThat(expiresAt(after)).isEqualTo(concurrent);
    assertThat(dataItems().stream().filter(i -> expiresAt(i) == LATER.expiresAtEpochSecond()))
        .hasSize(dataItems().size() - 1);
  }

  @Test
  void
      anItemWrittenWithTheOldExpiryAfterTheRestampFinishedIsMovedByTheNextRunAndAuditedAsAStraggler() {
    assertThat(LocalRestamp.restamp(aws, LATER, AT_CHANGE).run(() -> Long.MAX_VALUE).status())
        .isEqualTo(RestampResult.Status.COMPLETE);
    assertEveryDataItemCarries(LATER);
    // An ingest container still configured with the old policy writes a record after the re-stamp.
    Map<String, AttributeValue> late =
        new HashMap<>(
            dataItems().stream()
                .filter(i -> i.get("pk").s().startsWith("REC#"))
                .findFirst()
                .orElseThrow());
    late.put("pk", AttributeValue.fromS(late.get("pk").s() + "-late"));
    late.put(
        DynamoDbTables.EXPIRES_AT, AttributeValue.fromN(Long.toString(OLD.expiresAtEpochSecond())));
    late.put(
        DynamoDbTables.EXPIRY_PK,
        AttributeValue.fromS(
            DynamoDbTables.expiryPk(late.get("pk").s(), OLD.expiresAtEpochSecond())));
    aws.dynamoDb().putItem(b -> b.tableName(LocalFamilyLink.TABLE).item(late));

    RestampResult next =
        LocalRestamp.restamp(aws, LATER, Clock.fixed(CHANGED.plusSeconds(86_400), ZoneOffset.UTC))
            .run(() -> Long.MAX_VALUE);

    assertThat(next.status()).isEqualTo(RestampResult.Status.STRAGGLERS_RESTAMPED);
    assertThat(next.stragglers()).isEqualTo(1);
    assertThat(next.stragglersByKind()).containsEntry("REC", 1L);
    assertEveryDataItemCarries(LATER);
    Map<String, AttributeValue> entry =
        auditOf("RESTAMP").stream()
            .filter(e -> "STRAGGLERS_RESTAMPED".equals(e.get("details").m().get("status").s()))
            .findFirst()
            .orElseThrow();
    Map<String, AttributeValue> details = entry.get("details").m();
    assertThat(details.get("stragglers").n()).isEqualTo("1");
    assertThat(details.get("stragglers.REC").n()).isEqualTo("1");
    assertThat(details.values())
        .allSatisfy(
            v -> assertThat(String.valueOf(v.s())).doesNotContain("#").doesNotContain("late"));
    // The old expiry stays in the state for the window, so a later straggler would be found too.
    assertThat(LocalRestamp.store(aws).readState())
        .get()
        .satisfies(
            s ->
                assertThat(s.superseded())
                    .extracting(RestampStore.Superseded::expiresAt)
                    .containsExactly(OLD.expiresAtEpochSecond()));
  }

  @Test
  void aStateItemWrittenBeforeSupersededExpiriesExistedReadsAsNone() {
    LocalRestamp.restamp(aws, LATER, AT_CHANGE).run(() -> Long.MAX_VALUE);
    assertThat(LocalRestamp.store(aws).readState())
        .get()
        .extracting(s -> s.superseded().size())
        .isEqualTo(1);
    aws.dynamoDb()
        .updateItem(
            b ->
                b.tableName(LocalFamilyLink.TABLE)
                    .key(
                        Map.of(
                            "pk",
                            AttributeValue.fromS(DynamoDbRestamp.STATE_PK),
                            "sk",
                            AttributeValue.fromS(DynamoDbRestamp.STATE_SK)))
                    .updateExpression("REMOVE #s")
                    .expressionAttributeNames(Map.of("#s", DynamoDbRestamp.SUPERSEDED)));

    Optional<RestampStore.RetentionState> state = LocalRestamp.store(aws).readState();

    assertThat(state)
        .get()
        .satisfies(
            s -> {
              assertThat(s.superseded()).isEmpty();
              assertThat(s.policy()).isEqualTo(LATER);
              assertThat(s.phase()).isEqualTo(RestampStore.Phase.STABLE);
            });
    assertThat(LocalRestamp.restamp(aws, LATER, AT_CHANGE).run(() -> Long.MAX_VALUE).status())
        .isEqualTo(RestampResult.Status.UP_TO_DATE);
  }
}
