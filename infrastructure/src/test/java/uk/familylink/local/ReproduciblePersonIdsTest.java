package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.handler.IngestWiring;

class ReproduciblePersonIdsTest {

  private static List<PersonId> first(int n, long seed) {
    ReproduciblePersonIds ids = new ReproduciblePersonIds(seed);
    List<PersonId> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(ids.get());
    }
    return out;
  }

  @Test
  void oneSeedGivesOneSequenceOfDistinctIdsShapedLikeTheServices() {
    List<PersonId> a = first(1000, 1);
    assertThat(first(1000, 1)).isEqualTo(a);
    assertThat(new HashSet<>(a)).hasSize(1000);
    assertThat(first(1000, 2)).doesNotContainAnyElementsOf(a);
    String shape = "P[0-9a-f]{32}";
    assertThat(IngestWiring.newPersonId().value()).matches(shape);
    assertThat(a).allSatisfy(id -> assertThat(id.value()).matches(shape));
  }
}
