package uk.familylink.fakes;

import uk.familylink.contract.AuditPortContract;

/** The in-memory audit fakes hold to the same contract as the DynamoDB adapters. */
class InMemoryAuditPortsContractTest extends AuditPortContract {

  @Override
  protected Ports ports() {
    InMemoryAuditLog log = new InMemoryAuditLog();
    return new Ports(log, new InMemoryAuditReader(log));
  }
}
