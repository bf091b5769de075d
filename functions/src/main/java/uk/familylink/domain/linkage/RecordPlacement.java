package uk.familylink.domain.linkage;

import java.util.Objects;
import java.util.Set;

/**
 * Where a stored record points now: its person, the family its row named (null when none), and the
 * persons its row merged into that person by holding both their identifiers ({@link
 * LinkedRecord#bridged()}).
 */
public record RecordPlacement(PersonId person, FamilyKey family, Set<PersonId> bridged) {
  public RecordPlacement {
    Objects.requireNonNull(person, "person");
    bridged = bridged == null ? Set.of() : Set.copyOf(bridged);
  }

  public RecordPlacement(PersonId person, FamilyKey family) {
    this(person, family, Set.of());
  }
}
