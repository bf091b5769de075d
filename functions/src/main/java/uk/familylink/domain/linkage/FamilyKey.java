package uk.familylink.domain.linkage;

import java.util.Objects;

/** A family (or household) as named by a pseudonymised family/household reference. */
public record FamilyKey(String kind, String token) {
  public FamilyKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(token, "token");
  }

  /** Compact display/storage form, e.g. {@code FAMILY_REF:abc...}. */
  public String asString() {
    return kind + ":" + token;
  }
}
