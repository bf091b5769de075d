package uk.familylink.fakes;

import java.util.Optional;
import uk.familylink.domain.linkage.CandidateIndex;

/** The in-memory store with an in-memory candidate index beside it, so tier 3 runs on fakes. */
public final class InMemoryLinkStoreWithIndex extends ForwardingLinkStore {
  private final CandidateIndex index;

  public InMemoryLinkStoreWithIndex(InMemoryLinkedData data, CandidateIndex index) {
    super(data);
    this.index = index;
  }

  @Override
  public Optional<CandidateIndex> candidateIndex() {
    return Optional.of(index);
  }
}
