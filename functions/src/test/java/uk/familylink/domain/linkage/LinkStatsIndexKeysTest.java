package uk.familylink.domain.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The candidate-index items an ingest writes are its distinct keys, across chunks (ADR 0143). */
class LinkStatsIndexKeysTest {

  @Test
  void aKeyFiledByManyChunksIsCountedOnce() {
    LinkStats stats = new LinkStats();
    assertThat(stats.newIndexKeys(List.of("a", "b", "a"))).isEqualTo(2);
    assertThat(stats.newIndexKeys(List.of("b", "c"))).isEqualTo(1);
    assertThat(stats.newIndexKeys(List.of("a", "b", "c"))).isZero();
  }

  @Test
  void theSetGrowsPastItsFirstSizeWithoutLosingKeys() {
    LinkStats stats = new LinkStats();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      keys.add("B1:" + i);
    }
    assertThat(stats.newIndexKeys(keys.subList(0, 700))).isEqualTo(700);
    assertThat(stats.newIndexKeys(keys)).isEqualTo(19_300);
    assertThat(stats.newIndexKeys(keys)).isZero();
    assertThat(stats.newIndexKeys(List.of("P:someone"))).isEqualTo(1);
  }
}
