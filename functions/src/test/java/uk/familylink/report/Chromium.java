package uk.familylink.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}) driven from a test: loads a local file with no
 * network, a fresh profile each time, and returns the DOM after load or a screenshot.
 */
final class Chromium {

  private final Path binary;

  private Chromium(Path binary) {
    this.binary = binary;
  }

  /** The browser, if one is installed ({@code FAMILYLINK_CHROMIUM} names another binary). */
  static Optional<Chromium> find() {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("FAMILYLINK_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    candidates.addAll(
        List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"));
    for (String candidate : candidates) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return Optional.of(new Chromium(path));
      }
    }
    return Optional.empty();
  }

  String dumpDom(Path page, Path work) throws IOException, InterruptedException {
    Path out = work.resolve("dom.html");
    run(work, out, "--dump-dom", page.toUri().toString());
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  Path screenshot(Path page, Path work, int width, int height)
      throws IOException, InterruptedException {
    Path png = work.resolve("page.png");
    run(
        work,
        work.resolve("screenshot.log"),
        "--screenshot=" + png,
        "--window-size=" + width + "," + height,
        "--hide-scrollbars",
        page.toUri().toString());
    return png;
  }

  private void run(Path work, Path stdout, String... args)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(work, "profile");
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(work.resolve("chromium.err").toFile())
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("chromium did not finish within 120 s");
    }
    if (process.exitValue() != 0) {
      throw new IOException("chromium exited with " + process.exitValue());
    }
  }
}
