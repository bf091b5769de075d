package uk.familylink.domain.linkage;

import java.time.Instant;

/** Evidence that two persons were found to be one: the survivor keeps its ID. */
public record MergeRecord(
    PersonId survivor, PersonId merged, LinkKeyKind bridgedBy, String fileId, Instant at) {}
