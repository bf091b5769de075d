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

  @Test
  void aHouseholdMemberAlreadySeenHereAndAtTheOldPlaceShowsTheHouseholdMoved() {
    // the child's move was linked (say by an NHS number): seen at OLD and NEW
    Map<Long, Set<PersonId>> seenAt = Map.of(OLD, Set.of(MOTHER, CHILD), NEW, Set.of(CHILD));
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(OLD), NEW, seenAt)).isTrue();
  }

  @Test
  void nobodyFromTheOldPlaceSeenHereIsNoEvidenceOfAMove() {
    Map<Long, Set<PersonId>> seenAt =
        Map.of(OLD, Set.of(MOTHER, CHILD), NEW, Set.of(new PersonId("P-neighbour")));
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(OLD), NEW, seenAt)).isFalse();
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(OLD), ELSEWHERE, seenAt))
        .as("nobody at all seen here")
        .isFalse();
  }

  @Test
  void thePersonItselfSeenAtBothPlacesIsNotCorroboration() {
    // the candidate's own records at both places say nothing about whether this row is them
    Map<Long, Set<PersonId>> seenAt = Map.of(OLD, Set.of(MOTHER), NEW, Set.of(MOTHER));
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(OLD), NEW, seenAt)).isFalse();
    assertThat(HouseholdEvidence.movedWith(MOTHER, Set.of(NEW), NEW, Map.of(NEW, Set.of(CHILD))))
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
