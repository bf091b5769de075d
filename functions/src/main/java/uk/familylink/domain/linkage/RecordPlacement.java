package uk.familylink.domain.linkage;

import java.util.Objects;

/** Where a stored record points now: its person, and the family its row named (null when none). */
public record RecordPlacement(PersonId person, FamilyKey family) {
  public RecordPlacement {
    Objects.requireNonNull(person, "person");
  }
}
