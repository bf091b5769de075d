package uk.familylink.domain.linkage;

import java.util.Objects;

/** A keyed pseudonym of one identifier (or composite) of a person: the unit of identity lookup. */
public record IdentityKey(LinkKeyKind kind, String token) {
  public IdentityKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(token, "token");
  }
}
