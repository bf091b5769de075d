package uk.familylink.adapter.aws;

import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.retention.ItemKind;

/**
 * The linked table's key vocabulary, in one place: the partition-key prefixes and sort keys of
 * every item kind the adapters write, how a key is built, and which {@link ItemKind} a key is
 * (retention counts by kind; the domain never parses keys). The attribute names and indexes are
 * {@link DynamoDbTables}'.
 *
 * <pre>
 * kind      pk                                  sk
 * ID        ID#&lt;link key kind&gt;#&lt;token&gt;          ID
 * PERSON    PERSON#&lt;person id&gt;                  PERSON
 * MERGE     PERSON#&lt;merged person id&gt;           MERGE
 * REC       REC#&lt;dataset&gt;#&lt;record token&gt;        REC
 * FAMILY    FAMILY#&lt;kind&gt;#&lt;token&gt;               MEMBER#&lt;person id&gt;
 * FILE      FILE#&lt;file id&gt;                      (the ledger's)
 * RELEASED  RELEASED                            PERSON#&lt;person id&gt;
 * BLOCK     BLOCK#&lt;blocking key&gt;                BLOCK (one item per key, ADR 0143)
 * REVIEW    REVIEW#&lt;review id&gt;                  REVIEW
 * AUDIT     AUDIT#&lt;day&gt;                         (the audit table's)
 * </pre>
 */
public final class LinkedTable {

  static final String ID_PREFIX = "ID#";
  static final String PERSON_PREFIX = "PERSON#";
  static final String REC_PREFIX = "REC#";
  static final String FAMILY_PREFIX = "FAMILY#";
  static final String FILE_PREFIX = "FILE#";
  static final String BLOCK_PREFIX = "BLOCK#";
  static final String AUDIT_PREFIX = "AUDIT#";
  static final String REVIEW_PREFIX = "REVIEW#";

  /** Partition of released-link notes. */
  public static final String RELEASED_PK = "RELEASED";

  static final String SK_ID = "ID";
  static final String SK_PERSON = "PERSON";
  static final String SK_MERGE = "MERGE";
  static final String SK_REC = "REC";
  static final String SK_MEMBER_PREFIX = "MEMBER#";
  static final String SK_REVIEW = "REVIEW";
  static final String SK_BLOCK = "BLOCK";

  /** byPerson sort-key prefix of merge items, indexed under their survivor. */
  static final String MERGED_PREFIX = "MERGED#";

  private LinkedTable() {}

  static String reviewPk(String reviewId) {
    return REVIEW_PREFIX + reviewId;
  }

  static String identityPk(IdentityKey key) {
    return ID_PREFIX + key.kind().name() + "#" + key.token();
  }

  static String personPk(PersonId id) {
    return PERSON_PREFIX + id.value();
  }

  static String recordPk(String dataset, String recordToken) {
    return REC_PREFIX + dataset + "#" + recordToken;
  }

  static String familyPk(FamilyKey family) {
    return FAMILY_PREFIX + family.kind() + "#" + family.token();
  }

  /** The kind of the item with these keys; merges are told apart from persons by their sk. */
  public static ItemKind kindOf(String pk, String sk) {
    if (pk == null) {
      return ItemKind.OTHER;
    }
    if (pk.startsWith(PERSON_PREFIX)) {
      return SK_MERGE.equals(sk) ? ItemKind.MERGE : ItemKind.PERSON;
    }
    if (pk.equals(RELEASED_PK)) {
      return ItemKind.RELEASED;
    }
    if (pk.startsWith(ID_PREFIX)) {
      return ItemKind.ID;
    }
    if (pk.startsWith(REC_PREFIX)) {
      return ItemKind.REC;
    }
    if (pk.startsWith(FAMILY_PREFIX)) {
      return ItemKind.FAMILY;
    }
    if (pk.startsWith(FILE_PREFIX)) {
      return ItemKind.FILE;
    }
    if (pk.startsWith(BLOCK_PREFIX)) {
      return ItemKind.BLOCK;
    }
    if (pk.startsWith(REVIEW_PREFIX)) {
      return ItemKind.REVIEW;
    }
    if (pk.startsWith(AUDIT_PREFIX)) {
      return ItemKind.AUDIT;
    }
    return ItemKind.OTHER;
  }
}
