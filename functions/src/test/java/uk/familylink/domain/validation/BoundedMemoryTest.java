package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13 item 3: a 200 MB first line (one header of separators, or one huge cell) is rejected by
 * the streaming limits in a JVM with a 256 MB heap, and the whole file is still counted. Each case
 * runs in a forked JVM ({@link HugeInputMain}) so the heap limit is real.
 */
class BoundedMemoryTest {

  private static final long MIB = 200;

  @ParameterizedTest
  @ValueSource(strings = {"commas", "letters", "quoted"})
  void a200MegabyteHeaderIsRejectedUnderA256MegabyteHeap(String kind) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                HugeInputMain.class.getName(),
                kind,
                Long.toString(MIB))
            .redirectErrorStream(true)
            .start();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!done) {
      p.destroyForcibly();
    }

    assertThat(done).as("finished in time").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> fields = List.of(out.lines().reduce((a, b) -> b).orElse("").split(" "));
    String expected =
        switch (kind) {
          case "commas" -> ReasonCode.TOO_MANY_FIELDS.name();
          default -> ReasonCode.FIELD_TOO_LONG.name();
        };
    long fileBytes = "record_ref,".length() + (kind.equals("quoted") ? 1 : 0) + (MIB << 20) + 1;
    assertThat(fields)
        .as(out)
        .containsExactly("REJECTED", expected, Long.toString(fileBytes), "true", fields.get(4));
    assertThat(Long.parseLong(fields.get(4))).as("max heap MiB").isLessThanOrEqualTo(256);
  }
}
