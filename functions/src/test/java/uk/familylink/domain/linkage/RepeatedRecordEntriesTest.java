package uk.familylink.domain.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.pseudonym.DemographicEncoder;
import uk.familylink.domain.pseudonym.DemographicsSeal;
import uk.familylink.fakes.InMemoryCandidateIndex;
import uk.familylink.fakes.InMemoryLinkStoreWithIndex;
import uk.familylink.fakes.InMemoryLinkedData;

/**
 * A person's record that repeats one it already has word for word (same encodings, identifiers and
 * family) files no candidate-index entries: it adds nothing to score against, and every entry is an
 * item write and a step towards a block's cap. One that differs in anything is filed as before.
 */
class RepeatedRecordEntriesTest {

  private static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();

  private final InMemoryLinkedData data = new InMemoryLinkedData();
  private final InMemoryCandidateIndex index = new InMemoryCandidateIndex();
  private final AtomicLong ids = new AtomicLong();
  private final LinkStats stats = new LinkStats();
  private final DemographicEncoder encoder = new DemographicEncoder(key());
  private final Linker linker =
      new Linker(
          new InMemoryLinkStoreWithIndex(data, index),
          () -> new PersonId(String.format("P%06d", ids.incrementAndGet())),
          Clock.fixed(NOW, ZoneOffset.UTC),
          new DemographicsSeal(key()),
          new MatchScorer(MatchModel.prior()));

  private static byte[] key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 3);
    return k;
  }

  private PseudonymisedRow row(String ref, String given, String dob, IdentityKey... strong) {
    var encoded = encoder.encode(given, "HARRIS", dob, "HR4 9QQ");
    List<IdentityKey> composites = new ArrayList<>();
    composites.add(
        new IdentityKey(LinkKeyKind.NAME_DOB_POSTCODE, given + "HARRIS" + dob + "HR49QQ"));
    composites.add(new IdentityKey(LinkKeyKind.NAME_DOB, given + "HARRIS" + dob));
    return new PseudonymisedRow(
        1,
        List.of(strong),
        composites,
        ref,
        null,
        null,
        Set.of(Need.CRIME),
        LocalDate.of(2025, 1, 1),
        dob.substring(0, 7),
        false,
        Map.of(),
        encoded.demographics(),
        encoded.blockKeys());
  }

  private void file(String fileId, PseudonymisedRow... rows) {
    linker.link(List.of(rows), new LinkContext("police", "police", fileId, EXPIRES), stats);
  }

  private List<CandidateIndex.Entry> profile(PersonId person) {
    String key = CandidateIndex.profileKey(person);
    return index.lookup(List.of(key), PersonResolution.BLOCK_CAP, NOW).get(key).entries();
  }

  private PersonId personOf(String ref) {
    PersonId[] found = new PersonId[1];
    data.forEachRecord(
        NOW,
        r -> {
          if (r.recordToken().equals(ref)) {
            found[0] = r.person();
          }
        });
    return found[0];
  }

  @Test
  void aRepeatOfARecordInALaterFileOrTheSameChunkFilesNoEntries() {
    PseudonymisedRow first = row("A", "MAYA", "2010-06-01");
    file("f1", first);
    PersonId maya = personOf("A");
    int filed = first.blockKeys().size() + 2; // the block keys, the profile and the place
    assertThat(stats.indexEntriesSkipped()).isZero();
    assertThat(profile(maya)).hasSize(1);

    file("f2", row("B", "MAYA", "2010-06-01"));
    file("f3", row("C", "MAYA", "2010-06-01"), row("D", "MAYA", "2010-06-01"));

    assertThat(personOf("B")).isEqualTo(maya);
    assertThat(personOf("C")).isEqualTo(maya);
    assertThat(personOf("D")).isEqualTo(maya);
    // B and C: their block keys and place (the profile, read only for D, is filed again and
    // replaces the entry of the same encodings); D, after C in one chunk: everything
    assertThat(stats.indexEntriesSkipped()).isEqualTo(2L * (filed - 1) + filed);
    assertThat(profile(maya)).hasSize(1);
  }

  @Test
  void aRecordThatDiffersInAnIdentifierOrAValueIsFiled() {
    file("f1", row("A", "MAYA", "2010-06-01"));
    PersonId maya = personOf("A");

    // the same values with an NHS number the first did not have: filed (the stored entry of the
    // same encodings is replaced by it), so the identifier's veto can be found
    file("f2", row("B", "MAYA", "2010-06-01", new IdentityKey(LinkKeyKind.NHS_NUMBER, "n1")));
    assertThat(personOf("B")).isEqualTo(maya);
    assertThat(profile(maya)).singleElement().satisfies(e -> assertThat(e.strongIds()).hasSize(1));

    // a typo in the given name: another encoding to score against
    file("f3", row("C", "MAIA", "2010-06-01", new IdentityKey(LinkKeyKind.NHS_NUMBER, "n1")));
    assertThat(personOf("C")).isEqualTo(maya);
    assertThat(profile(maya)).hasSize(2);
    assertThat(stats.indexEntriesSkipped()).isZero();
  }
}
