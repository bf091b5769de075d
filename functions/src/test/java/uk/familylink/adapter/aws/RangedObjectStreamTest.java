package uk.familylink.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Window-by-window reads: every byte once, in order, and a broken window never ends a read early.
 */
class RangedObjectStreamTest {

  private static byte[] object(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  /** Serves windows of {@code content}; {@code faults} says what the n-th read does instead. */
  private static final class Server implements RangedObjectStream.Windows {
    private final byte[] content;
    private final List<String> faults;
    final List<long[]> requests = new ArrayList<>();

    Server(byte[] content, String... faults) {
      this.content = content;
      this.faults = new ArrayList<>(List.of(faults));
    }

    @Override
    public RangedObjectStream.Window read(long from, long toInclusive) throws IOException {
      requests.add(new long[] {from, toInclusive});
      String fault = faults.isEmpty() ? "ok" : faults.remove(0);
      int end = (int) Math.min(content.length, toInclusive + 1);
      byte[] bytes = Arrays.copyOfRange(content, (int) Math.min(from, content.length), end);
      return switch (fault) {
        case "reset" -> throw new IOException("Connection reset");
        case "short" ->
            new RangedObjectStream.Window(Arrays.copyOf(bytes, bytes.length / 2), content.length);
        case "longer" -> new RangedObjectStream.Window(bytes, content.length + 1);
        default -> new RangedObjectStream.Window(bytes, content.length);
      };
    }
  }

  private static InputStream open(Server server, int window) throws IOException {
    return new RangedObjectStream(
        server, RangedObjectStream.readWindow(server, 0, window, 4), window, 4);
  }

  @Test
  void readsEveryByteOnceInOrderAcrossWindowsOfAnySize() throws IOException {
    byte[] content = object(10_007);
    for (int window : new int[] {1, 7, 1_000, 10_007, 10_008, 1 << 20}) {
      Server server = new Server(content);
      try (InputStream in = open(server, window)) {
        assertThat(in.readAllBytes()).as("window %d", window).isEqualTo(content);
      }
      assertThat(server.requests).hasSize((content.length + window - 1) / window);
      assertThat(server.requests).allSatisfy(r -> assertThat(r[1] - r[0] + 1).isEqualTo(window));
    }
  }

  @Test
  void singleByteReadsSeeTheSameBytes() throws IOException {
    byte[] content = object(50);
    try (InputStream in = open(new Server(content), 8)) {
      byte[] out = new byte[content.length];
      for (int i = 0; i < out.length; i++) {
        int b = in.read();
        assertThat(b).isNotNegative();
        out[i] = (byte) b;
      }
      assertThat(in.read()).isEqualTo(-1);
      assertThat(out).isEqualTo(content);
    }
  }

  @Test
  void anEmptyObjectReadsAsEmpty() throws IOException {
    try (InputStream in = open(new Server(new byte[0]), 8)) {
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aResetOrShortWindowIsFetchedAgainFromItsStart() throws IOException {
    byte[] content = object(100);
    // window 1 fine; window 2 reset then short then fine; window 3 reset then fine
    Server server = new Server(content, "ok", "reset", "short", "ok", "reset");
    try (InputStream in = open(server, 40)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(server.requests).extracting(r -> r[0]).containsExactly(0L, 40L, 40L, 40L, 80L, 80L);
  }

  @Test
  void aWindowStillBrokenAfterEveryAttemptFailsTheReadInsteadOfEndingEarly() throws IOException {
    byte[] content = object(100);
    Server server = new Server(content, "ok", "reset", "short", "reset", "short");
    InputStream in = open(server, 40);
    byte[] first = in.readNBytes(40);
    assertThat(first).isEqualTo(Arrays.copyOf(content, 40));
    assertThatThrownBy(in::read)
        .isInstanceOf(IOException.class)
        .hasMessage("object read failed after 4 attempts");
  }

  @Test
  void aFirstWindowBrokenEveryTimeFailsTheOpen() {
    Server server = new Server(object(10), "reset", "reset", "reset", "reset");
    assertThatThrownBy(() -> open(server, 40))
        .isInstanceOf(IOException.class)
        .hasRootCauseMessage("Connection reset");
  }

  @Test
  void anObjectWhoseLengthChangesBetweenWindowsFailsTheRead() throws IOException {
    Server server = new Server(object(100), "ok", "longer", "longer", "longer", "longer");
    InputStream in = open(server, 40);
    in.readNBytes(40);
    assertThatThrownBy(in::read).isInstanceOf(IOException.class);
  }
}
