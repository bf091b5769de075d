package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import uk.familylink.local.aws.EmbeddedAws;

/** {@code serve} on a workspace, on free ports, in this JVM; {@link #close()} is its Ctrl-C. */
final class ServeInThisJvm implements AutoCloseable {

  final ServeCommand command = new ServeCommand();
  private final CompletableFuture<Integer> exit;

  ServeInThisJvm(Path home) throws InterruptedException {
    command.workspace.home = home;
    command.bucket = EmbeddedAws.DEFAULT_BUCKET;
    command.workers = 2;
    command.pollMillis = 50;
    exit = CompletableFuture.supplyAsync(this::call);
    assertThat(command.ready.await(90, TimeUnit.SECONDS)).as("serve ready").isTrue();
  }

  private Integer call() {
    try {
      return command.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The endpoints serve recorded in the workspace (s3, dynamodb, bucket). */
  java.util.Map<String, String> endpoints() {
    return Workspace.runningServe(command.workspace.home);
  }

  @Override
  public void close() {
    command.stopRequested = true;
    try {
      assertThat(exit.get(90, TimeUnit.SECONDS)).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while serve stopped", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("serve did not stop cleanly", e);
    }
  }
}
