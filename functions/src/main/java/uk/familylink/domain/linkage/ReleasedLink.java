package uk.familylink.domain.linkage;

import java.util.Objects;

/**
 * A person, and optionally one of its family memberships, that a corrected record no longer backs.
 * The person may still be backed by other records; the retention sweep checks and removes it only
 * when nothing live backs it any more.
 *
 * @param family the family the record named before the correction, or null to check the person only
 */
public record ReleasedLink(PersonId person, FamilyKey family) {
  public ReleasedLink {
    Objects.requireNonNull(person, "person");
  }
}
