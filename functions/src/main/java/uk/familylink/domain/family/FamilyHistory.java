package uk.familylink.domain.family;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonId;

/**
 * A family's needs profile together with what it was derived from: each member's live records, the
 * datasets whose rows stated the family's own reference (its key), and each member's roles in the
 * families they belong to. Holds only pseudonyms, dates and coarse values.
 *
 * @param statedBy datasets whose rows named this family's key (e.g. {@code early-help}); a
 *     partner's caseload may only match families its own dataset named
 * @param recordsByMember every member's live records (merged persons folded into their survivor)
 * @param rolesByMember family-role codes stated for each member (e.g. {@code CHILD})
 */
public record FamilyHistory(
    FamilyProfile profile,
    Set<String> statedBy,
    Map<PersonId, List<LinkedRecord>> recordsByMember,
    Map<PersonId, Set<String>> rolesByMember) {

  /** Every member's records, in member order. */
  public List<LinkedRecord> records() {
    List<LinkedRecord> all = new ArrayList<>();
    recordsByMember.values().forEach(all::addAll);
    return all;
  }
}
