package uk.familylink.local.population;

import java.util.List;
import java.util.Set;
import uk.familylink.domain.need.Need;

/**
 * One fictional family (or adult-only household). {@code familyId} is ground truth; {@code
 * familyRef} is the council's case reference and {@code householdRef} the housing service's, as
 * partners hold them. {@code previousPostcode} is set when the family moved: some partners still
 * hold the old address.
 */
public record Family(
    int index,
    String familyId,
    String familyRef,
    String householdRef,
    String postcode,
    String previousPostcode,
    List<Person> members,
    Set<Need> needs) {

  public boolean hasChildren() {
    return members.stream().anyMatch(p -> p.role() == Role.CHILD);
  }

  public boolean hasExpectantParent() {
    return members.stream().anyMatch(Person::expectant);
  }

  /**
   * A dependent child as Supporting Families counts one: 15 or under, or up to 18 while in
   * education (here: holding a UPN, so the school extract shows them).
   */
  public boolean hasDependentChild(java.time.LocalDate today) {
    return members.stream()
        .anyMatch(
            p ->
                p.role() == Role.CHILD
                    && (p.ageOn(today) <= 15 || (p.ageOn(today) <= 18 && p.upn() != null)));
  }

  /**
   * Ground-truth eligibility: a dependent child or an expectant parent, and three or more needs.
   */
  public boolean isEligible(java.time.LocalDate today) {
    return needs.size() >= 3 && (hasDependentChild(today) || hasExpectantParent());
  }

  public List<Person> adults() {
    return members.stream().filter(p -> p.role() == Role.ADULT).toList();
  }

  public List<Person> children() {
    return members.stream().filter(p -> p.role() == Role.CHILD).toList();
  }
}
