package uk.familylink.handler;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A value built once per Lambda execution environment, on first use (cold start), and shared by
 * every invocation after. A build that throws (a bad configuration) is not remembered: the next
 * invocation tries again and fails with the same clear message.
 */
final class ColdStart<T> implements Supplier<T> {

  private final Supplier<T> build;
  private volatile T value;

  ColdStart(Supplier<T> build) {
    this.build = build;
  }

  /** A function's service: its typed configuration read from the environment, then built. */
  static <C, T> ColdStart<T> fromEnvironment(
      Function<Map<String, String>, C> config, Function<C, T> build) {
    return new ColdStart<>(() -> build.apply(config.apply(System.getenv())));
  }

  @Override
  public T get() {
    T local = value;
    if (local == null) {
      synchronized (this) {
        local = value;
        if (local == null) {
          local = build.get();
          value = local;
        }
      }
    }
    return local;
  }
}
