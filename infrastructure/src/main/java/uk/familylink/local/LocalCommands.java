package uk.familylink.local;

import uk.familylink.local.aws.EmbeddedAws;

/** What the one-shot commands start when they embed the services themselves. */
final class LocalCommands {

  private LocalCommands() {}

  /** Free ports; DynamoDB in-process when in memory (a workspace always runs it as a server). */
  static EmbeddedAws.Options embedded() {
    return EmbeddedAws.Options.defaults()
        .withPorts(0, 0)
        .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS);
  }
}
