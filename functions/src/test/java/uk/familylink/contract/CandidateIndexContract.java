package uk.familylink.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.CandidateIndex;
import uk.familylink.domain.linkage.CandidateIndex.Block;
import uk.familylink.domain.linkage.CandidateIndex.Entry;
import uk.familylink.domain.linkage.PersonId;

/**
 * What tier 3 relies on from {@link CandidateIndex}, run unchanged against the in-memory fake and
 * the DynamoDB adapter on every endpoint (ADR 0143): absent keys, entries read back whole,
 * idempotent filing, the cap and the capped flag, expiry, and two writers of one key at once.
 *
 * <p>Every test uses fresh random keys, so one index may serve the whole class.
 */
public abstract class CandidateIndexContract {

  protected static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  protected static final long LIVE = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();
  protected static final int CAP = 8;

  private final Random random = new Random(7);

  /** The index under test. */
  protected abstract CandidateIndex index();

  /**
   * Whether this endpoint serves two writers of one key at once, each write's condition checked
   * atomically (false only for an emulator known not to; the subclass says why).
   */
  protected boolean concurrentConditionsHold() {
    return true;
  }

  protected static String freshKey() {
    return "k-" + UUID.randomUUID();
  }

  protected Entry entry(String key) {
    return entry(key, new PersonId("P-" + UUID.randomUUID()));
  }

  protected Entry entry(String key, PersonId person) {
    byte[] sealed = new byte[40 + random.nextInt(40)];
    random.nextBytes(sealed);
    return new Entry(
        key, person, sealed, new long[] {random.nextLong(), random.nextLong()}, random.nextLong());
  }

  private static Set<String> ids(Block block) {
    Set<String> out = new HashSet<>();
    for (Entry e : block.entries()) {
      out.add(id(e));
    }
    return out;
  }

  private static Set<String> ids(List<Entry> entries) {
    Set<String> out = new HashSet<>();
    for (Entry e : entries) {
      out.add(id(e));
    }
    return out;
  }

  /** Everything an entry carries, as one comparable string. */
  private static String id(Entry e) {
    return e.key()
        + "|"
        + e.person().value()
        + "|"
        + java.util.HexFormat.of().formatHex(e.sealed())
        + "|"
        + java.util.Arrays.toString(e.strongIds())
        + "|"
        + e.family();
  }

  @Test
  void absentKeysAreLeftOutOfTheLookup() {
    String filed = freshKey();
    index().add(List.of(entry(filed)), CAP, LIVE);

    Map<String, Block> found = index().lookup(List.of(freshKey(), filed, freshKey()), CAP, NOW);

    assertThat(found).containsOnlyKeys(filed);
    assertThat(index().lookup(List.of(freshKey()), CAP, NOW)).isEmpty();
    assertThat(index().lookup(List.of(), CAP, NOW)).isEmpty();
  }

  @Test
  void entriesAreReadBackWithEverythingTheyCarry() {
    String key = freshKey();
    PersonId person = new PersonId("P-" + UUID.randomUUID());
    // one person seen with two sets of demographics under one key, and a record without family
    Entry a = entry(key, person);
    Entry b = entry(key, person);
    Entry c =
        new Entry(key, new PersonId("P-" + UUID.randomUUID()), new byte[] {9}, new long[0], 0);
    index().add(List.of(a, b, c), CAP, LIVE);

    Block block = index().lookup(List.of(key), CAP, NOW).get(key);

    assertThat(block.capped()).isFalse();
    assertThat(ids(block)).isEqualTo(ids(List.of(a, b, c)));
  }

  @Test
  void manyKeysAreLookedUpAtOnce() {
    List<Entry> entries = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 230; i++) {
      String key = freshKey();
      keys.add(key);
      entries.add(entry(key));
    }
    index().add(entries, CAP, LIVE);
    keys.add(freshKey()); // one absent among them

    Map<String, Block> found = index().lookup(keys, CAP, NOW);

    assertThat(found).hasSize(230).doesNotContainKey(keys.get(230));
    for (Entry e : entries) {
      assertThat(ids(found.get(e.key()))).containsExactly(id(e));
    }
  }

  @Test
  void reAddingTheSameEntriesChangesNothing() {
    String key = freshKey();
    List<Entry> full = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      full.add(entry(key));
    }
    index().add(full, CAP, LIVE);
    // a retried chunk files the same entries again, all of them or some, even at the cap
    index().add(full, CAP, LIVE);
    index().add(full.subList(0, 3), CAP, LIVE);

    Block block = index().lookup(List.of(key), CAP, NOW).get(key);

    assertThat(block.capped()).isFalse();
    assertThat(block.entries()).hasSize(CAP);
    assertThat(ids(block)).isEqualTo(ids(full));
  }

  @Test
  void aKeyFiledPastTheCapIsCappedAndStaysCapped() {
    String key = freshKey();
    List<Entry> full = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      full.add(entry(key));
    }
    index().add(full.subList(0, CAP - 2), CAP, LIVE);
    index().add(full.subList(CAP - 2, CAP), CAP, LIVE);
    assertThat(index().lookup(List.of(key), CAP, NOW).get(key).entries()).hasSize(CAP);

    index().add(List.of(entry(key)), CAP, LIVE);

    Block capped = index().lookup(List.of(key), CAP, NOW).get(key);
    assertThat(capped.capped()).isTrue();
    assertThat(capped.entries()).isEmpty();
    // filing the entries it held, or new ones, does not make it usable again
    index().add(full.subList(0, 1), CAP, LIVE);
    index().add(List.of(entry(key)), CAP, LIVE);
    assertThat(index().lookup(List.of(key), CAP, NOW).get(key).capped()).isTrue();
  }

  @Test
  void oneChunkWithMoreThanTheCapUnderAKeyCapsIt() {
    String key = freshKey();
    String other = freshKey();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i <= CAP; i++) {
      entries.add(entry(key));
    }
    Entry fine = entry(other);
    entries.add(fine);

    index().add(entries, CAP, LIVE);

    Map<String, Block> found = index().lookup(List.of(key, other), CAP, NOW);
    assertThat(found.get(key).capped()).isTrue();
    assertThat(found.get(key).entries()).isEmpty();
    assertThat(found.get(other).capped()).isFalse();
    assertThat(ids(found.get(other))).containsExactly(id(fine));
  }

  @Test
  void aKeyWithMoreEntriesThanTheCapAskedIsReportedCapped() {
    String key = freshKey();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      entries.add(entry(key));
    }
    index().add(entries, CAP, LIVE);

    assertThat(index().lookup(List.of(key), 4, NOW).get(key).capped()).isTrue();
    assertThat(index().lookup(List.of(key), 5, NOW).get(key).capped()).isFalse();
  }

  @Test
  void anExpiredKeyIsReadAsAbsentAndALaterFilingKeepsItsOwnExpiry() {
    String key = freshKey();
    long soon = NOW.plusSeconds(3600).getEpochSecond();
    Entry first = entry(key);
    index().add(List.of(first), CAP, soon);

    assertThat(index().lookup(List.of(key), CAP, NOW)).containsKey(key);
    assertThat(index().lookup(List.of(key), CAP, Instant.ofEpochSecond(soon))).isEmpty();

    Entry second = entry(key);
    index().add(List.of(second), CAP, LIVE);
    Instant later = Instant.ofEpochSecond(soon + 60);
    assertThat(ids(index().lookup(List.of(key), CAP, later).get(key)))
        .isEqualTo(ids(List.of(first, second)));
    assertThat(index().lookup(List.of(key), CAP, Instant.ofEpochSecond(LIVE))).isEmpty();
  }

  @Test
  void twoWritersOfOneKeyWithRoomForBothLoseNothing() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        concurrentConditionsHold(), "this endpoint cannot serve two writers at once");
    String key = freshKey();
    List<List<Entry>> chunks = new ArrayList<>();
    for (int i = 0; i < CAP / 2; i++) {
      chunks.add(List.of(entry(key), entry(key)));
    }
    // 2 writers, each filing half the chunks at once: exactly the cap in all
    List<Entry> all = runTwoWriters(chunks);

    Block block = index().lookup(List.of(key), CAP, NOW).get(key);
    assertThat(block.capped()).isFalse();
    assertThat(ids(block)).isEqualTo(ids(all));
  }

  @Test
  void twoWritersOfOneKeyNeverTakeItPastTheCapNorDropAnEntryUnflagged() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        concurrentConditionsHold(), "this endpoint cannot serve two writers at once");
    String key = freshKey();
    List<List<Entry>> chunks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      chunks.add(List.of(entry(key), entry(key)));
    }
    // 16 entries for a cap of 8, from two writers at once
    List<Entry> all = runTwoWriters(chunks);

    Block block = index().lookup(List.of(key), 64, NOW).get(key);
    // read with a larger cap: the stored entries themselves are never more than the cap
    assertThat(block.capped()).as("16 entries were filed under a cap of 8").isTrue();
    Block stored = index().lookup(List.of(key), CAP, NOW).get(key);
    assertThat(stored.capped()).isTrue();
    assertThat(ids(all)).hasSize(16);
  }

  /** Files the chunks from two threads at once, alternately; all entries filed. */
  private List<Entry> runTwoWriters(List<List<Entry>> chunks) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      writers.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = writer; i < chunks.size(); i += 2) {
                  index().add(chunks.get(i), CAP, LIVE);
                }
              }));
    }
    start.countDown();
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    List<Entry> all = new ArrayList<>();
    chunks.forEach(all::addAll);
    return all;
  }
}
