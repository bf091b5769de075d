package uk.familylink.domain.linkage;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import uk.familylink.domain.need.Need;

/**
 * One partner row after pseudonymisation and linkage. Identified by dataset + record token, so a
 * re-delivered or corrected row overwrites rather than duplicates. Holds only pseudonyms and coarse
 * values: birth year-month (yyyy-MM), event date, code values the contract marks as kept. {@code
 * family} is the family or household the row named (null when none): it lets the sweep tell whether
 * a membership is still backed by a live record after a correction. {@code bridged} names the
 * persons this row merged into its person by holding both persons' strong identifiers (ADR 0146): a
 * correction of the row that no longer holds them splits the merge again.
 */
public record LinkedRecord(
    String dataset,
    String partner,
    String recordToken,
    PersonId person,
    FamilyKey family,
    Set<Need> indicators,
    LocalDate eventDate,
    String birthYearMonth,
    boolean expectantParent,
    Map<String, String> attributes,
    String fileId,
    long expiresAt,
    Set<PersonId> bridged) {

  public LinkedRecord {
    bridged = bridged == null ? Set.of() : Set.copyOf(bridged);
  }

  /** A record that bridged nobody. */
  public LinkedRecord(
      String dataset,
      String partner,
      String recordToken,
      PersonId person,
      FamilyKey family,
      Set<Need> indicators,
      LocalDate eventDate,
      String birthYearMonth,
      boolean expectantParent,
      Map<String, String> attributes,
      String fileId,
      long expiresAt) {
    this(
        dataset,
        partner,
        recordToken,
        person,
        family,
        indicators,
        eventDate,
        birthYearMonth,
        expectantParent,
        attributes,
        fileId,
        expiresAt,
        Set.of());
  }
}
