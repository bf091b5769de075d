package uk.familylink.contract;

import java.time.Clock;
import java.time.ZoneOffset;
import uk.familylink.fakes.InMemoryLinkedData;

/** The in-memory fake against the port contract the DynamoDB adapter is held to. */
class InMemoryLinkStoreContractTest extends LinkStoreContract {

  private final InMemoryLinkedData fake = new InMemoryLinkedData(Clock.fixed(NOW, ZoneOffset.UTC));

  @Override
  protected Stores stores() {
    return new Stores(fake, fake);
  }
}
