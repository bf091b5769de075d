package uk.familylink.domain.linkage;

/**
 * Seals tier-3 encodings for storage, so what the store holds is ciphertext: without the key even
 * the keyed encodings (whose equal values would show equal names) cannot be counted or compared.
 * Deterministic (equal encodings give equal ciphertext), so re-filing is idempotent.
 */
public interface EncodingSeal {

  byte[] seal(Demographics demographics);

  /**
   * The encodings sealed by {@link #seal}.
   *
   * @throws IllegalArgumentException when the bytes were not sealed under this key
   */
  Demographics open(byte[] sealed);
}
