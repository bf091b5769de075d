package uk.familylink.domain.linkage;

/**
 * Stored claim of an identity key by a person. {@code ambiguous} marks a composite key that more
 * than one person with different strong identifiers share: such a key no longer links.
 */
public record IdentityEntry(IdentityKey key, PersonId person, boolean ambiguous) {}
