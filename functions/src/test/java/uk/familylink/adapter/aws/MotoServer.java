package uk.familylink.adapter.aws;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension running {@code moto_server} on a free loopback port for one test class.
 * Register it as a static field with {@code @RegisterExtension}.
 *
 * <p>moto is looked up on PATH, then in {@code $(pyenv root)/shims} (pyenv's shims are on PATH only
 * in a login shell). When it is missing the tests FAIL under {@code CI=true} (conformance is
 * required there) and are skipped with a visible reason elsewhere.
 */
public final class MotoServer implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

  private static final String MISSING =
      "moto_server not found on PATH nor in $(pyenv root)/shims; "
          + "install moto[server] to run the AWS conformance tests";

  private static final long START_TIMEOUT_MILLIS = 60_000;

  private Process process;
  private Path log;
  private AwsEndpoint endpoint;

  public AwsEndpoint endpoint() {
    if (endpoint == null) {
      throw new IllegalStateException("moto_server is not running");
    }
    return endpoint;
  }

  private static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Without moto the class is reported as skipped with the reason (outside CI, where it is
   * required).
   */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (inCi() || findMotoServer().isPresent()) {
      return ConditionEvaluationResult.enabled("moto_server available or required");
    }
    System.err.println("SKIPPED " + context.getDisplayName() + ": " + MISSING);
    return ConditionEvaluationResult.disabled(MISSING);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Optional<Path> moto = findMotoServer();
    if (moto.isEmpty()) {
      if (inCi()) {
        fail(MISSING + " (required when CI=true)");
      }
      Assumptions.abort(MISSING);
    }
    int port = freeLoopbackPort();
    log = Files.createTempFile("moto-server-", ".log");
    process =
        new ProcessBuilder(moto.get().toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    AwsEndpoint candidate = AwsEndpoint.loopback(port);
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (!answers(candidate)) {
      if (!process.isAlive()) {
        fail("moto_server exited with " + process.exitValue() + " before answering; log: " + log);
      }
      if (System.currentTimeMillis() > deadline) {
        stop();
        fail("moto_server did not answer within " + START_TIMEOUT_MILLIS + " ms; log: " + log);
      }
      Thread.sleep(100);
    }
    endpoint = candidate;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  private void stop() {
    if (process != null) {
      // the pyenv shim may leave a child python process: stop descendants too
      List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
      tree.add(process.toHandle());
      tree.forEach(ProcessHandle::destroy);
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          tree.forEach(ProcessHandle::destroyForcibly);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        tree.forEach(ProcessHandle::destroyForcibly);
      }
      process = null;
      endpoint = null;
    }
    if (log != null) {
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // a leftover temp log is harmless
      }
    }
  }

  static Optional<Path> findMotoServer() {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator, -1)) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d));
        }
      }
    }
    pyenvRoot().ifPresent(root -> dirs.add(root.resolve("shims")));
    for (Path d : dirs) {
      Path candidate = d.resolve("moto_server");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@code pyenv root}, else $PYENV_ROOT, else ~/.pyenv when present. */
  private static Optional<Path> pyenvRoot() {
    try {
      Process p = new ProcessBuilder("pyenv", "root").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
        return Optional.of(Path.of(out));
      }
    } catch (IOException e) {
      // pyenv not on PATH: fall through to the usual locations
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String env = System.getenv("PYENV_ROOT");
    if (env != null && Files.isDirectory(Path.of(env))) {
      return Optional.of(Path.of(env));
    }
    Path home = Path.of(System.getProperty("user.home"), ".pyenv");
    return Files.isDirectory(home) ? Optional.of(home) : Optional.empty();
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean answers(AwsEndpoint e) {
    try {
      HttpURLConnection c = (HttpURLConnection) new URL(e.uri() + "/moto-api/").openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.disconnect();
      return code > 0;
    } catch (IOException notYet) {
      return false;
    }
  }
}
