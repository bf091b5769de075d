package uk.familylink.fakes;

import uk.familylink.adapter.aws.LinkedTable;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;

/** Item keys as the adapters hand them to the domain: with the kind the table schema gives them. */
public final class Keys {

  private Keys() {}

  public static ItemKey itemKey(String pk, String sk) {
    return new ItemKey(pk, sk, LinkedTable.kindOf(pk, sk));
  }
}
