package uk.familylink.domain.retention;

import java.util.List;

/**
 * What an item in the two tables is, as retention counts it (destruction and TTL evidence by kind).
 * The adapter that reads an item's key says its kind; the domain never parses keys.
 */
public enum ItemKind {
  /** An identity claim (a token of an identifier or a demographic key). */
  ID,
  PERSON,
  /** The evidence of a merge of two persons. */
  MERGE,
  /** A record of one partner row. */
  REC,
  /** A family membership. */
  FAMILY,
  /** An ingest ledger entry. */
  FILE,
  /** A note that corrected records no longer back a person. */
  RELEASED,
  /** A tier-3 candidate index entry. */
  BLOCK,
  /** A possible-link review (pending or decided). */
  REVIEW,
  /** An audit entry. */
  AUDIT,
  /** Anything else (e.g. the re-stamp's state item). */
  OTHER;

  /** The kinds every count lists, zeros included (OTHER only when there was one). */
  public static final List<ItemKind> COUNTED =
      List.of(ID, PERSON, MERGE, REC, FAMILY, FILE, RELEASED, BLOCK, REVIEW, AUDIT);
}
