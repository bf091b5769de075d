package uk.familylink.domain.family;

import java.util.Map;
import java.util.Set;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;

/**
 * A family's needs profile: which of the ten headline needs its members' records evidence, and from
 * which datasets; whether it has a dependent child or expectant parent; whether it meets the
 * eligibility rule it was built with.
 */
public record FamilyProfile(
    FamilyKey family,
    Set<PersonId> members,
    Map<Need, Set<String>> evidence,
    boolean hasDependentChild,
    boolean hasExpectantParent,
    boolean eligible) {

  public int needCount() {
    return evidence.size();
  }
}
