package uk.familylink.domain.linkage;

/** What the linker needs to know about the file a chunk of rows came from. */
public record LinkContext(String partner, String dataset, String fileId, long expiresAt) {}
