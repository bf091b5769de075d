package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reader's own UTF-8 decoder against the JDK's strict decoder: the same characters up to the
 * first malformed sequence, and an error exactly when the JDK reports one, whatever the chunking of
 * the stream and the size of the caller's buffer.
 */
class ExtractReaderDecodingTest {

  /**
   * Valid pieces and the classic malformed ones: overlongs, surrogates, > U+10FFFF, stray and
   * truncated bytes.
   */
  private static final byte[][] PIECES = {
    bytes("abc,"),
    bytes("\n"),
    bytes("Zoë"),
    bytes("Siân"),
    bytes("€"),
    bytes("\uD83D\uDE00"),
    bytes("中文"),
    {(byte) 0xC0, (byte) 0x80},
    {(byte) 0xC1, (byte) 0xBF},
    {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xF5, (byte) 0x80},
    {(byte) 0x80},
    {(byte) 0xC3},
    {(byte) 0xE2, (byte) 0x82},
    {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
    {(byte) 0xFF},
    {(byte) 0xE2, (byte) 0x41},
  };

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * What the JDK decoder makes of {@code in}: the characters before the first error, and whether
   * there is one.
   */
  private static String jdk(byte[] in, boolean[] error) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer out = CharBuffer.allocate(in.length * 2 + 4);
    CoderResult r = d.decode(ByteBuffer.wrap(in), out, true);
    error[0] = r.isError();
    return out.flip().toString();
  }

  /**
   * A stream handing out at most {@code max} bytes a call, so sequences straddle the reader's
   * refills.
   */
  private static InputStream trickle(byte[] data, Random random) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
      }
    };
  }

  private static String ours(byte[] in, Random random, boolean trickle, boolean[] error)
      throws IOException {
    ExtractReader reader =
        new ExtractReader(
            trickle ? trickle(in, random) : new ByteArrayInputStream(in), Long.MAX_VALUE);
    StringBuilder got = new StringBuilder();
    char[] buf = new char[64];
    try {
      while (true) {
        int n = reader.read(buf, 0, 2 + random.nextInt(buf.length - 2));
        if (n < 0) {
          break;
        }
        got.append(buf, 0, n);
      }
    } catch (ExtractReader.Stop stop) {
      assertThat(stop.reason).isEqualTo(ReasonCode.NOT_UTF8);
      error[0] = true;
    }
    return got.toString();
  }

  @Test
  void decodesExactlyLikeTheStrictJdkDecoder() throws IOException {
    Random random = new Random(20240601);
    for (int round = 0; round < 3000; round++) {
      java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
      data.writeBytes(bytes("x")); // never a byte order mark
      int pieces = random.nextInt(12);
      for (int i = 0; i < pieces; i++) {
        // mostly valid text, sometimes one of the malformed pieces
        data.writeBytes(PIECES[random.nextInt(random.nextInt(4) == 0 ? PIECES.length : 7)]);
      }
      byte[] in = data.toByteArray();
      boolean[] expectedError = new boolean[1];
      String expected = jdk(in, expectedError);
      boolean[] error = new boolean[1];
      assertThat(ours(in, random, round % 2 == 0, error)).as("round %d", round).isEqualTo(expected);
      assertThat(error[0]).as("round %d", round).isEqualTo(expectedError[0]);
    }
  }

  @Test
  void longAsciiRunsAroundAccentsSurviveBufferBoundaries() throws IOException {
    String text = ("record,Siân,O'Brien,2011-02-03,\uD83D\uDE00\n" + "a".repeat(100)).repeat(3000);
    boolean[] error = new boolean[1];
    assertThat(ours(bytes(text), new Random(1), false, error)).isEqualTo(text);
    assertThat(error[0]).isFalse();
  }
}
