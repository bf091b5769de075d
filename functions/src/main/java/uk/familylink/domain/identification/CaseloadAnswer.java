package uk.familylink.domain.identification;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.familylink.domain.family.FamilyHistory;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.need.Need;

/**
 * The answer to a partner's caseload (decision record 0160): for each row of the partner's own
 * file, whether the family its reference names is eligible, with its needs and the date it first
 * met the rule, plus counts of eligible families the caseload does not name.
 *
 * <p>Rows are answered by row number, never by reference, so the answer holds no identifier (P1):
 * the partner joins it back to the file it sent. A reference matches only a family whose key the
 * partner's own dataset stated ({@link FamilyHistory#statedBy()}): a reference another partner
 * holds (family references share one token kind) answers {@link Status#NOT_KNOWN}, exactly as a
 * reference nobody holds, so no partner can learn another's references through its caseload.
 */
public record CaseloadAnswer(
    String partnerDataset,
    LocalDate asOf,
    List<Row> rows,
    long eligibleNotInCaseload,
    long eligibleNotKnownToPartner) {

  /** How one caseload row is answered. */
  public enum Status {
    ELIGIBLE,
    NOT_ELIGIBLE,
    /** No family the partner's dataset named carries this reference. */
    NOT_KNOWN,
    /** The reference is blank or not a valid reference. */
    INVALID_REFERENCE
  }

  /** One row's answer (row 1 = the first data row after the header). */
  public record Row(long row, Status status, Set<Need> needs, LocalDate firstMet) {}

  /**
   * Answers one caseload against the population's histories and its identification list.
   *
   * @param referenceTokens each data row's keyed family-reference pseudonym, in file order (null
   *     for a row whose reference is invalid)
   */
  public static CaseloadAnswer answer(
      String partnerDataset,
      List<String> referenceTokens,
      IdentificationList list,
      List<FamilyHistory> population) {
    Map<String, FamilyHistory> own = new HashMap<>();
    for (FamilyHistory f : population) {
      FamilyKey key = f.profile().family();
      if (FAMILY_REF.equals(key.kind()) && f.statedBy().contains(partnerDataset)) {
        own.put(key.token(), f);
      }
    }
    Map<String, IdentifiedFamily> identified = new HashMap<>();
    list.families().forEach(f -> identified.put(f.familyId(), f));
    List<Row> rows = new ArrayList<>(referenceTokens.size());
    Set<String> named = new HashSet<>();
    long n = 0;
    for (String token : referenceTokens) {
      n++;
      if (token == null) {
        rows.add(new Row(n, Status.INVALID_REFERENCE, Set.of(), null));
        continue;
      }
      FamilyHistory family = own.get(token);
      if (family == null) {
        rows.add(new Row(n, Status.NOT_KNOWN, Set.of(), null));
        continue;
      }
      String familyId = family.profile().family().asString();
      named.add(familyId);
      IdentifiedFamily eligible = identified.get(familyId);
      rows.add(
          eligible == null
              ? new Row(
                  n, Status.NOT_ELIGIBLE, Set.copyOf(family.profile().evidence().keySet()), null)
              : new Row(n, Status.ELIGIBLE, eligible.needs(), eligible.firstMet()));
    }
    long notInCaseload = 0;
    long notKnown = 0;
    Set<String> ownIds = new HashSet<>();
    own.values().forEach(f -> ownIds.add(f.profile().family().asString()));
    for (IdentifiedFamily f : list.families()) {
      if (!named.contains(f.familyId())) {
        notInCaseload++;
        if (!ownIds.contains(f.familyId())) {
          notKnown++;
        }
      }
    }
    return new CaseloadAnswer(
        partnerDataset, list.asOf(), List.copyOf(rows), notInCaseload, notKnown);
  }

  public long count(Status status) {
    return rows.stream().filter(r -> r.status() == status).count();
  }

  private static final String FAMILY_REF = "FAMILY_REF";
}
