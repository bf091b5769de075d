package uk.familylink.contract;

import uk.familylink.domain.linkage.CandidateIndex;
import uk.familylink.fakes.InMemoryCandidateIndex;

/** The in-memory fake against the contract the DynamoDB adapter is held to. */
class InMemoryCandidateIndexContractTest extends CandidateIndexContract {

  private final InMemoryCandidateIndex fake = new InMemoryCandidateIndex();

  @Override
  protected CandidateIndex index() {
    return fake;
  }
}
