package uk.familylink.domain.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkingKeysTest {

  private static final byte[] DERIVED = new byte[32];

  static {
    for (int i = 0; i < 32; i++) {
      DERIVED[i] = (byte) (255 - i);
    }
  }

  /** Counts derivations and records labels, like a KMS stub would. */
  private static final class CountingKeyPort implements KeyPort {
    final AtomicInteger calls = new AtomicInteger();
    final List<String> labels = new ArrayList<>();

    @Override
    public synchronized byte[] deriveWorkingKey(String label) {
      calls.incrementAndGet();
      labels.add(label);
      return DERIVED.clone();
    }
  }

  @Test
  void derivesEachWorkingKeyOnceUnderItsV1LabelAndTokenisesWithTheTokenKey() throws Exception {
    CountingKeyPort port = new CountingKeyPort();
    WorkingKeys keys = WorkingKeys.forIngest(port);
    for (int i = 0; i < 10; i++) {
      keys.tokeniser().token("NINO", "AB123456C");
      keys.newTokeniser().token("NINO", "AB123456C");
    }
    keys.newEncoder();
    assertThat(port.calls).hasValue(2);
    assertThat(port.labels).containsExactly("familylink/v1/token", "familylink/v1/bloom");
    assertThat(keys.tokeniser().token("NINO", "AB123456C"))
        .isEqualTo(TokeniserTest.expectedToken(DERIVED, "NINO", "AB123456C"));
  }

  @Test
  void keysForAnythingButTheIngestHoldTheTokenKeyAloneAndRefuseTierThree() {
    CountingKeyPort port = new CountingKeyPort();
    WorkingKeys keys = new WorkingKeys(port);

    assertThat(port.labels).containsExactly("familylink/v1/token");
    assertThat(keys.hasTierThree()).isFalse();
    assertThatThrownBy(keys::newEncoder)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("forIngest");
    assertThatThrownBy(keys::newSeal).isInstanceOf(IllegalStateException.class);
    assertThat(WorkingKeys.forIngest(new CountingKeyPort()).hasTierThree()).isTrue();
  }

  @Test
  void eachThreadGetsItsOwnTokeniserGivingTheSameTokens() throws Exception {
    WorkingKeys keys = new WorkingKeys(new CountingKeyPort());
    Tokeniser mine = keys.tokeniser();
    assertThat(keys.tokeniser()).isSameAs(mine);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Object[]>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  Tokeniser own = keys.tokeniser();
                  String last = null;
                  for (int i = 0; i < 5_000; i++) {
                    last = own.token("ULN", "123456789" + (i % 10));
                  }
                  return new Object[] {own, last};
                }));
      }
      String expected = mine.token("ULN", "1234567899");
      for (Future<Object[]> result : results) {
        Object[] r = result.get();
        assertThat(r[0]).isNotSameAs(mine);
        assertThat(r[1]).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesAWorkingKeyThatIsNot32Bytes() {
    assertThatThrownBy(() -> new WorkingKeys(label -> new byte[16]))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new WorkingKeys(label -> null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    String text = new WorkingKeys(new CountingKeyPort()).toString();
    assertThat(text)
        .doesNotContain(java.util.HexFormat.of().formatHex(DERIVED))
        .contains("familylink/v1/token");
  }
}
