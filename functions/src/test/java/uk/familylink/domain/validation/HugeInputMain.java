package uk.familylink.domain.validation;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Run in a JVM of its own with a small heap by {@link BoundedMemoryTest}: streams a generated
 * extract of {@code args[1]} MiB whose first line is one huge header (kind {@code args[0]}) through
 * the validator and prints the outcome. The input is produced as it is read, never held.
 */
public final class HugeInputMain {

  private HugeInputMain() {}

  /** A header line "record_ref" followed by {@code size} bytes of {@code fill}, then a newline. */
  static InputStream header(long size, byte fill, boolean quoted) {
    byte[] start = (quoted ? "record_ref,\"" : "record_ref,").getBytes(StandardCharsets.US_ASCII);
    return new InputStream() {
      private long pos;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        long total = start.length + size + 1;
        if (pos >= total) {
          return -1;
        }
        int n = (int) Math.min(len, total - pos);
        Arrays.fill(b, off, off + n, fill);
        for (int i = 0; i < n && pos + i < start.length; i++) {
          b[off + i] = start[(int) (pos + i)];
        }
        if (pos + n == total) {
          b[off + n - 1] = '\n';
        }
        pos += n;
        return n;
      }

      @Override
      public long skip(long n) {
        throw new UnsupportedOperationException();
      }
    };
  }

  public static void main(String[] args) {
    long mib = Long.parseLong(args[1]);
    InputStream in =
        switch (args[0]) {
          case "commas" -> header(mib << 20, (byte) ',', false);
          case "letters" -> header(mib << 20, (byte) 'a', false);
          case "quoted" -> header(mib << 20, (byte) 'a', true);
          default -> throw new IllegalArgumentException("unknown kind");
        };
    ValidationReport report =
        new ExtractValidator(
                Extracts.contract("police-incidents"), ValidationPolicy.DEFAULTS, Extracts.CLOCK)
            .validate(in, row -> {});
    Runtime rt = Runtime.getRuntime();
    System.out.println(
        String.join(
            " ",
            Arrays.asList(
                report.status().name(),
                report.fileIssues().get(0).reason().name(),
                Long.toString(report.bytes()),
                Boolean.toString(report.bytesReadToEnd()),
                Long.toString(rt.maxMemory() >> 20))));
  }
}
