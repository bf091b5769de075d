package uk.familylink.local.population;

import java.util.List;
import java.util.Set;
import uk.familylink.domain.need.Need;

/**
 * One fictional family (or adult-only household). {@code familyId} is ground truth; {@code familyRef}
 * is the council's case reference and {@code householdRef} the housing service's, as partners hold them.
 * {@code previousPostcode} is set when the family moved: some partners still hold the old address.
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

    public List<Person> adults() {
        return members.stream().filter(p -> p.role() == Role.ADULT).toList();
    }

    public List<Person> children() {
        return members.stream().filter(p -> p.role() == Role.CHILD).toList();
    }
}
