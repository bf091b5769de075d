package uk.familylink.domain.retention;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Page;
import uk.familylink.domain.retention.ExpiredItemStore.Table;

/**
 * Port for re-stamping items when the deployment's retention policy changes: the retention state
 * (the policy the stored items carry) and the expiry index, queried for one exact expiresAt.
 */
public interface RestampStore {

  /**
   * Whether the stored items all carry {@link RetentionState#policy()} or are being moved to it.
   */
  enum Phase {
    STABLE,
    RESTAMPING
  }

  /**
   * An expiry (epoch seconds) that a completed change moved items away from, and when that change
   * completed. Items may still appear with it afterwards, written by an ingest still running with
   * the old configuration; they are re-stamped by later runs while the entry is kept.
   */
  record Superseded(long expiresAt, Instant supersededAt) {
    public Superseded {
      Objects.requireNonNull(supersededAt, "supersededAt");
    }
  }

  /**
   * The policy stored items carry (STABLE) or are being re-stamped to (RESTAMPING, from the items
   * stamped with any of {@code sourceExpiries}, epoch seconds). {@code from} is the policy before
   * the change began (for the audit); null when STABLE. {@code superseded}: the expiries earlier
   * changes moved items away from, re-checked for stragglers on every run for a bounded window (a
   * state recorded before this existed reads as none).
   */
  record RetentionState(
      RetentionPolicy policy,
      Phase phase,
      RetentionPolicy from,
      List<Long> sourceExpiries,
      Instant startedAt,
      Instant updatedAt,
      List<Superseded> superseded) {
    public RetentionState {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(phase, "phase");
      sourceExpiries = List.copyOf(sourceExpiries);
      superseded = superseded == null ? List.of() : List.copyOf(superseded);
    }

    /** Without superseded expiries. */
    public RetentionState(
        RetentionPolicy policy,
        Phase phase,
        RetentionPolicy from,
        List<Long> sourceExpiries,
        Instant startedAt,
        Instant updatedAt) {
      this(policy, phase, from, sourceExpiries, startedAt, updatedAt, List.of());
    }
  }

  /** The recorded state (strongly consistent), empty before the first run. */
  Optional<RetentionState> readState();

  /**
   * Records the state; the state item itself expires with the data, at {@code state.policy()}'s
   * expiry.
   */
  void writeState(RetentionState state);

  /** The index partitions of one expiry month. */
  List<String> partitions(YearMonth month);

  /**
   * A page of keys in {@code partition} whose expiresAt equals {@code expiresAt}; cursor as in the
   * sweep.
   */
  Page findStamped(Table table, String partition, long expiresAt, String cursor);

  /**
   * Sets the item's expiresAt (and its index partition) to {@code newExpiresAt} only if it still
   * has {@code oldExpiresAt}; false when it does not (re-stamped already, rewritten by a concurrent
   * ingest with the new policy, or deleted). An audit entry of a kind in {@link
   * RetentionRestamp#KINDS_WITH_OWN_RETENTION} is never changed (false).
   */
  boolean restamp(Table table, ItemKey key, long oldExpiresAt, long newExpiresAt);
}
