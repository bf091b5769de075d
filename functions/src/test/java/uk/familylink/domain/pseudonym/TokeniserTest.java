package uk.familylink.domain.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.identifier.IdentifierKind;

class TokeniserTest {

  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (i * 7 + 3);
    }
  }

  /** The token computed the slow, obvious way with javax.crypto and java.util.Base64. */
  static String expectedToken(byte[] key, String label, String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    message.writeBytes(label.getBytes(StandardCharsets.UTF_8));
    message.write(0x1F);
    message.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    byte[] full = mac.doFinal(message.toByteArray());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, 16));
  }

  @Test
  void matchesAnIndependentHmacComputation() throws Exception {
    Tokeniser tokeniser = new Tokeniser(KEY);
    assertThat(tokeniser.token("NHS_NUMBER", "9434765919"))
        .isEqualTo(expectedToken(KEY, "NHS_NUMBER", "9434765919"));
    assertThat(tokeniser.token(IdentifierKind.POSTCODE, "HR1 2AB"))
        .isEqualTo(expectedToken(KEY, "POSTCODE", "HR1 2AB"));
  }

  @Test
  void knownAnswerPinsTheFormatAcrossReleases() {
    // Computed once with: printf 'NHS_NUMBER\x1f9434765919' | openssl dgst -sha256 -mac HMAC
    // -macopt hexkey:<KEY>, first 16 bytes, base64url without padding. A change here changes
    // every stored token: it needs a new token label, not an edit of this constant.
    assertThat(new Tokeniser(KEY).token("NHS_NUMBER", "9434765919")).isEqualTo(KNOWN_ANSWER);
  }

  static final String KNOWN_ANSWER = "BSALe0g33yepNCMczqrLNw";

  @Test
  void midstateFastPathAndMacFallbackAgree() throws Exception {
    Tokeniser fast = new Tokeniser(KEY);
    Tokeniser viaMac = new Tokeniser(KEY, true);
    for (String value : new String[] {"", "9434765919", "Zoë", "x".repeat(200)}) {
      assertThat(viaMac.token("NINO", value))
          .isEqualTo(fast.token("NINO", value))
          .isEqualTo(expectedToken(KEY, "NINO", value));
    }
  }

  @Test
  void kindSeparatesTheSameDigits() {
    Tokeniser tokeniser = new Tokeniser(KEY);
    String asNhs = tokeniser.token(IdentifierKind.NHS_NUMBER, "1234567899");
    String asUln = tokeniser.token(IdentifierKind.ULN, "1234567899");
    assertThat(asNhs).isNotEqualTo(asUln);
  }

  @Test
  void separatorPreventsLabelValueShifting() {
    Tokeniser tokeniser = new Tokeniser(KEY);
    assertThat(tokeniser.token("AB", "C")).isNotEqualTo(tokeniser.token("A", "BC"));
    assertThatThrownBy(() -> tokeniser.token("A\u001FB", "C"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deterministicAcrossInstancesAndCallsAndDependsOnTheKey() {
    Tokeniser first = new Tokeniser(KEY);
    Tokeniser second = new Tokeniser(KEY.clone());
    String token = first.token("NINO", "AB123456C");
    first.token("NINO", "x".repeat(1000)); // grow and dirty the reused buffer
    assertThat(first.token("NINO", "AB123456C")).isEqualTo(token);
    assertThat(second.token("NINO", "AB123456C")).isEqualTo(token);
    byte[] otherKey = KEY.clone();
    otherKey[0] ^= 1;
    assertThat(new Tokeniser(otherKey).token("NINO", "AB123456C")).isNotEqualTo(token);
  }

  @Test
  void tokensAre22Base64UrlCharactersAndMatchTheReferenceOnRandomValues() throws Exception {
    Tokeniser tokeniser = new Tokeniser(KEY);
    Random random = new Random(1);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      int length = random.nextInt(300);
      StringBuilder value = new StringBuilder();
      for (int j = 0; j < length; j++) {
        // mostly ASCII, sometimes accented letters, CJK or an emoji: exercises the UTF-8 path
        int pick = random.nextInt(20);
        if (pick == 0) {
          value.append('é');
        } else if (pick == 1) {
          value.append('李');
        } else if (pick == 2) {
          value.appendCodePoint(0x1F600);
        } else {
          value.append((char) (0x20 + random.nextInt(0x5F)));
        }
      }
      String token = tokeniser.token("GIVEN_NAME", value.toString());
      assertThat(token).hasSize(Tokeniser.TOKEN_LENGTH).matches("[A-Za-z0-9_-]{22}");
      assertThat(token).isEqualTo(expectedToken(KEY, "GIVEN_NAME", value.toString()));
      seen.add(value.toString() + "\u0000" + token);
    }
    assertThat(seen).hasSizeGreaterThan(1_900);
  }

  @Test
  void rejectsKeysThatAreNot32Bytes() {
    assertThatThrownBy(() -> new Tokeniser(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Tokeniser(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullInputIsRejectedWithoutEchoingAnything() {
    Tokeniser tokeniser = new Tokeniser(KEY);
    assertThatThrownBy(() -> tokeniser.token("NINO", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("NINO");
  }
}
