package uk.familylink.domain.linkage;

import java.util.Objects;

/** Stable, random person identifier (never derived from an identifier). */
public record PersonId(String value) implements Comparable<PersonId> {
  public PersonId {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public int compareTo(PersonId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
