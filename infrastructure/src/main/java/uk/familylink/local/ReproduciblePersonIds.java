package uk.familylink.local;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import uk.familylink.domain.linkage.PersonId;

/**
 * Person IDs for a measurement: random like the service's own (so ties between persons created at
 * one instant break as they would in service), but drawn from a fixed seed, so two runs of {@code
 * linkage-quality} on the same key and population make the same persons and a change's effect is
 * not hidden by the noise of which random ID won a tie. Never used by the service.
 */
final class ReproduciblePersonIds implements Supplier<PersonId> {

  private final SplittableRandom random;

  ReproduciblePersonIds(long seed) {
    this.random = new SplittableRandom(seed);
  }

  @Override
  public synchronized PersonId get() {
    return new PersonId(String.format("P%016x%016x", random.nextLong(), random.nextLong()));
  }
}
