package uk.familylink.domain.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.HouseholdEvidence.RowMatches;

/**
 * Household corroboration on tokens alone: what counts as a household that moved, what does not.
 */
class HouseholdEvidenceTest {

  private static final long OLD = 11;
  private static final long NEW = 22;
  private static final long ELSEWHERE = 33;
  private static final PersonId MOTHER = new PersonId("P-mother");
  private static final PersonId CHILD = new PersonId("P-child");

  private static RowMatches at(long residence, Map<PersonId, Set<Long>> matches) {
    return new RowMatches(residence, Set.of("P" + residence), matches);
  }

  @Test
  void twoCoResidentsMatchingTwoPersonsWhoLivedTogetherCorroborateEachOther() {
    var found =
        HouseholdEvidence.corroborated(
            List.of(at(NEW, Map.of(MOTHER, Set.of(OLD))), at(NEW, Map.of(CHILD, Set.of(OLD)))));
    assertThat(found).containsOnlyKeys(0, 1);
    assertThat(found.get(0)).containsExactly(MOTHER);
    assertThat(found.get(1)).containsExactly(CHILD);
  }

  private static final long DWELLING = 101;
  private static final long NEXT_DOOR = 102;

  @Test
  void aHouseholdMemberAlreadySeenHereAndAtTheOldDwellingShowsTheHouseholdMoved() {
    // the child's move was linked (say by an NHS number): seen at OLD (same dwelling) and NEW
    Map<Long, Map<PersonId, Set<Long>>> seenAt =
        Map.of(
            OLD, Map.of(MOTHER, Set.of(DWELLING), CHILD, Set.of(DWELLING)),
            NEW, Map.of(CHILD, Set.of(0L)));
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(OLD), NEW, seenAt)).isTrue();
  }

  @Test
  void aNeighbourAtTheOldPostcodeWhoMovedHereIsNoEvidence() {
    PersonId neighbour = new PersonId("P-neighbour");
    Map<Long, Map<PersonId, Set<Long>>> seenAt =
        Map.of(
            OLD, Map.of(MOTHER, Set.of(DWELLING), neighbour, Set.of(NEXT_DOOR)),
            NEW, Map.of(neighbour, Set.of(0L)));
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(OLD), NEW, seenAt)).isFalse();
    Map<Long, Map<PersonId, Set<Long>>> unknownDwelling =
        Map.of(OLD, Map.of(MOTHER, Set.of(0L), CHILD, Set.of(0L)), NEW, Map.of(CHILD, Set.of(0L)));
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(OLD), NEW, unknownDwelling))
        .as("without an address line or family reference nobody is known to share a dwelling")
        .isFalse();
  }

  @Test
  void nobodyFromTheOldDwellingSeenHereIsNoEvidenceOfAMove() {
    Map<Long, Map<PersonId, Set<Long>>> seenAt =
        Map.of(
            OLD, Map.of(MOTHER, Set.of(DWELLING), CHILD, Set.of(DWELLING)),
            NEW, Map.of(new PersonId("P-other"), Set.of(0L)));
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(OLD), NEW, seenAt)).isFalse();
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(OLD), ELSEWHERE, seenAt))
        .as("nobody at all seen here")
        .isFalse();
  }

  @Test
  void thePersonItselfSeenAtBothPlacesIsNotCorroboration() {
    // the candidate's own records at both places say nothing about whether this row is them
    Map<Long, Map<PersonId, Set<Long>>> seenAt =
        Map.of(OLD, Map.of(MOTHER, Set.of(DWELLING)), NEW, Map.of(MOTHER, Set.of(DWELLING)));
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(OLD), NEW, seenAt)).isFalse();
    assertThat(
            HouseholdEvidence.movedWith(
                MOTHER, Set.of(NEW), NEW, Map.of(NEW, Map.of(CHILD, Set.of(DWELLING)))))
        .as("the row's own place is not elsewhere")
        .isFalse();
  }

  @Test
  void personsWhoNeverSharedAPlaceCorroborateNothing() {
    // a stranger with a namesake's name and birth date lives with people of another household
    var found =
        HouseholdEvidence.corroborated(
            List.of(
                at(NEW, Map.of(MOTHER, Set.of(OLD))), at(NEW, Map.of(CHILD, Set.of(ELSEWHERE)))));
    assertThat(found).isEmpty();
  }

  @Test
  void aRowsOwnMatchIsNotItsCorroboration() {
    // the same person matched twice (two rows of one person) is one coincidence, not two
    var found =
        HouseholdEvidence.corroborated(
            List.of(at(NEW, Map.of(MOTHER, Set.of(OLD))), at(NEW, Map.of(MOTHER, Set.of(OLD)))));
    assertThat(found).isEmpty();
  }

  @Test
  void rowsInDifferentHouseholdsOfTheFileCorroborateNothing() {
    var found =
        HouseholdEvidence.corroborated(
            List.of(
                at(NEW, Map.of(MOTHER, Set.of(OLD))), at(ELSEWHERE, Map.of(CHILD, Set.of(OLD)))));
    assertThat(found).isEmpty();
  }

  @Test
  void aSharedPlaceThatIsTheRowsOwnIsNotEvidenceOfAMove() {
    var found =
        HouseholdEvidence.corroborated(
            List.of(at(NEW, Map.of(MOTHER, Set.of(NEW))), at(NEW, Map.of(CHILD, Set.of(NEW)))));
    assertThat(found).isEmpty();
  }

  @Test
  void aFamilyReferenceOfTheFileIsAHouseholdEvenWhenOnePostcodeIsWrong() {
    var found =
        HouseholdEvidence.corroborated(
            List.of(
                new RowMatches(ELSEWHERE, Set.of("F7"), Map.of(MOTHER, Set.of(OLD))),
                new RowMatches(OLD, Set.of("F7", "P" + OLD), Map.of(CHILD, Set.of(OLD)))));
    assertThat(found).containsOnlyKeys(0);
    assertThat(found.get(0)).containsExactly(MOTHER);
  }
}
