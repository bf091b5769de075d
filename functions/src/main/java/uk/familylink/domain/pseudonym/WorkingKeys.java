package uk.familylink.domain.pseudonym;

import java.util.Objects;

/**
 * The working keys of one process, derived once at cold start (one {@link KeyPort} call per label)
 * and then held only in memory (P3). Hands out {@link Tokeniser}s, which are not thread-safe:
 * {@link #tokeniser()} gives each thread its own, {@link #newTokeniser()} a fresh one.
 *
 * <p>Only the ingest and subject access (which finds a person by the ingest's rules, ADR 0145)
 * compare records on tier 3, so only {@link #forIngest} derives the bloom working key ({@link
 * DemographicEncoder#BLOOM_LABEL}); the other functions hold the token key alone.
 */
public final class WorkingKeys {

  private final byte[] tokenKey;
  private final byte[] bloomKey; // null unless derived for the ingest
  private final ThreadLocal<Tokeniser> perThread;

  /** The token working key only (one derivation). */
  public WorkingKeys(KeyPort keys) {
    this(keys, false);
  }

  private WorkingKeys(KeyPort keys, boolean tierThree) {
    Objects.requireNonNull(keys, "keys");
    this.tokenKey = derive(keys, Tokeniser.TOKEN_LABEL, "token");
    this.bloomKey = tierThree ? derive(keys, DemographicEncoder.BLOOM_LABEL, "bloom") : null;
    this.perThread = ThreadLocal.withInitial(this::newTokeniser);
  }

  /** The ingest's keys: the token working key and tier 3's bloom working key (two derivations). */
  public static WorkingKeys forIngest(KeyPort keys) {
    return new WorkingKeys(keys, true);
  }

  private static byte[] derive(KeyPort keys, String label, String name) {
    byte[] derived = keys.deriveWorkingKey(label);
    if (derived == null || derived.length != 32) {
      throw new IllegalStateException(
          "key port returned a " + name + " working key that is not 32 bytes");
    }
    return derived.clone();
  }

  /** Whether tier 3's bloom working key was derived ({@link #forIngest}). */
  public boolean hasTierThree() {
    return bloomKey != null;
  }

  private byte[] bloomKey() {
    if (bloomKey == null) {
      throw new IllegalStateException(
          "tier 3 needs the bloom working key: derive the keys with WorkingKeys.forIngest");
    }
    return bloomKey;
  }

  /** This thread's tokeniser (created on first use by the thread). */
  public Tokeniser tokeniser() {
    return perThread.get();
  }

  /** A new tokeniser under the token working key, for a caller that manages its own threads. */
  public Tokeniser newTokeniser() {
    return new Tokeniser(tokenKey);
  }

  /** A new seal of stored tier-3 encodings (not thread-safe: one per ingest). */
  public DemographicsSeal newSeal() {
    return new DemographicsSeal(bloomKey());
  }

  /** A new tier-3 encoder under the bloom working key (not thread-safe: one per ingest). */
  public DemographicEncoder newEncoder() {
    return new DemographicEncoder(bloomKey());
  }

  @Override
  public String toString() {
    return "WorkingKeys[" + Tokeniser.TOKEN_LABEL + "]"; // never the key material
  }
}
