package uk.familylink.domain.pseudonym;

import java.util.Objects;

/**
 * The working keys of one process, derived once at cold start (one {@link KeyPort} call per label)
 * and then held only in memory (P3). Hands out {@link Tokeniser}s, which are not thread-safe:
 * {@link #tokeniser()} gives each thread its own, {@link #newTokeniser()} a fresh one.
 */
public final class WorkingKeys {

  private final byte[] tokenKey;
  private final byte[] bloomKey;
  private final ThreadLocal<Tokeniser> perThread;

  public WorkingKeys(KeyPort keys) {
    Objects.requireNonNull(keys, "keys");
    byte[] derived = keys.deriveWorkingKey(Tokeniser.TOKEN_LABEL);
    if (derived == null || derived.length != 32) {
      throw new IllegalStateException("key port returned a token working key that is not 32 bytes");
    }
    this.tokenKey = derived.clone();
    byte[] bloom = keys.deriveWorkingKey(DemographicEncoder.BLOOM_LABEL);
    if (bloom == null || bloom.length != 32) {
      throw new IllegalStateException("key port returned a bloom working key that is not 32 bytes");
    }
    this.bloomKey = bloom.clone();
    this.perThread = ThreadLocal.withInitial(this::newTokeniser);
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
    return new DemographicsSeal(bloomKey);
  }

  /** A new tier-3 encoder under the bloom working key (not thread-safe: one per ingest). */
  public DemographicEncoder newEncoder() {
    return new DemographicEncoder(bloomKey);
  }

  @Override
  public String toString() {
    return "WorkingKeys[" + Tokeniser.TOKEN_LABEL + "]"; // never the key material
  }
}
