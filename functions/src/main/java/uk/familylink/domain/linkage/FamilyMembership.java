package uk.familylink.domain.linkage;

/** A person's membership of a family, as stated by one dataset. Idempotent by (family, person). */
public record FamilyMembership(
    FamilyKey family, PersonId person, String role, String dataset, long expiresAt) {}
