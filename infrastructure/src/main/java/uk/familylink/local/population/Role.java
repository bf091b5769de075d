package uk.familylink.local.population;

/** A person's place in a synthetic family. */
public enum Role {
  ADULT,
  CHILD
}
