package uk.familylink.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The forked JVM of {@code bench coldstart}: runs on the Lambda jar plus this one class, as Lambda
 * would: constructs the handler through its no-arg constructor (the wiring reads the environment
 * and builds its clients and keys), then handles one event. It prints a marker line as each step
 * ends; the parent times the markers from the moment it started the process. It uses nothing
 * outside the JDK and the Lambda jar, and no nested class, so its single class file is all the
 * parent has to add to the class path.
 *
 * <p>Arguments: handler class, event file, response file, remaining-time budget in milliseconds.
 */
public final class ColdStartProbe {

  /** Prefix of the probe's marker lines on stdout (the handler's JSON logs go there too). */
  public static final String MARKER = "coldstart-probe ";

  private ColdStartProbe() {}

  public static void main(String[] args) throws Exception {
    marker("main");
    Class<?> type = Class.forName(args[0]);
    RequestStreamHandler handler =
        (RequestStreamHandler) type.getDeclaredConstructor().newInstance();
    marker("ready");
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000L;
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    try (InputStream in = new java.io.ByteArrayInputStream(event)) {
      handler.handleRequest(in, response, context(deadline));
    }
    marker("responded");
    Files.write(Path.of(args[2]), response.toByteArray());
    System.exit(0);
  }

  /**
   * The step and this JVM's CPU time so far (all its threads), which the machine's load leaves
   * alone.
   */
  private static void marker(String step) {
    long cpuMillis =
        ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
    System.out.println(MARKER + step + " " + cpuMillis);
    System.out.flush();
  }

  /** A Lambda context with a deadline; a dynamic proxy, so the probe stays one class file. */
  private static Context context(long deadlineNanos) {
    return (Context)
        Proxy.newProxyInstance(
            ColdStartProbe.class.getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, methodArgs) ->
                switch (method.getName()) {
                  case "getRemainingTimeInMillis" ->
                      (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000L);
                  case "getMemoryLimitInMB" -> 1769;
                  case "getAwsRequestId" -> "coldstart-probe";
                  case "getFunctionName" -> "coldstart-probe";
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == methodArgs[0];
                  case "toString" -> "ColdStartProbe.context";
                  default -> null;
                });
  }
}
