package uk.familylink.domain.identifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for identifier normalisation v1 (issue 13 item 7): for any kind and any text, the
 * unguarded normaliser throws nothing, and a normalised value normalises to itself (idempotence:
 * re-normalising a stored form can never change a token). Seeds: {@code
 * IdentifiersFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class IdentifiersFuzzTest {

  private static final IdentifierKind[] KINDS = IdentifierKind.values();

  @FuzzTest(maxDuration = "5m")
  void normalisationIsTotalAndIdempotent(FuzzedDataProvider data) {
    IdentifierKind kind = KINDS[data.consumeInt(0, KINDS.length - 1)];
    String raw = data.consumeRemainingAsString();

    String normalised = Identifiers.normaliseUnguarded(kind, raw);

    assertThat(Identifiers.normalise(kind, raw)).isEqualTo(normalised);
    if (normalised != null) {
      assertThat(Identifiers.normaliseUnguarded(kind, normalised))
          .as("%s is idempotent", kind)
          .isEqualTo(normalised);
      assertThat(normalised).isNotBlank().isEqualTo(normalised.strip());
    }
  }
}
