package uk.familylink.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/** Measuring helpers shared by the benchmarks: timing, heap peaks, medians, the machine, JSON. */
final class BenchSupport {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private BenchSupport() {}

  /** Wall and this thread's CPU time of one measured piece of work. */
  record Timing(long wallNanos, long cpuNanos) {
    double perSecondWall(long count) {
      return wallNanos == 0 ? 0 : count * 1e9 / wallNanos;
    }

    /** NaN when the JVM cannot measure thread CPU time. */
    double perSecondCpu(long count) {
      return cpuNanos <= 0 ? Double.NaN : count * 1e9 / cpuNanos;
    }
  }

  /** Starts a stopwatch on the current thread. */
  static Stopwatch start() {
    return new Stopwatch();
  }

  static final class Stopwatch {
    private final long wall = System.nanoTime();
    private final long cpu = threadCpu();

    Timing stop() {
      long cpuNow = threadCpu();
      return new Timing(System.nanoTime() - wall, cpu < 0 || cpuNow < 0 ? -1 : cpuNow - cpu);
    }
  }

  private static long threadCpu() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  /** Resets the peak usage of every heap pool, so {@link #peakHeapBytes()} covers what follows. */
  static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        pool.resetPeakUsage();
      }
    }
  }

  /**
   * Sum of the heap pools' peak usage since the last reset: an upper bound of the heap in use at
   * any moment (the pools need not peak together).
   */
  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The machine, as the JVM sees it. */
  static ObjectNode machine() {
    ObjectNode m = JSON.createObjectNode();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put(
        "jvm",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("osArch", System.getProperty("os.arch"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("cpu", cpuModel());
    m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    return m;
  }

  /**
   * The processor's model name from {@code /proc/cpuinfo} ("unknown" elsewhere): two 2-core
   * machines can differ threefold on one benchmark, so a figure names the processor it came from.
   */
  static String cpuModel() {
    java.nio.file.Path info = java.nio.file.Path.of("/proc/cpuinfo");
    try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(info)) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return "unknown";
    }
  }

  static String machineLine() {
    ObjectNode m = machine();
    return String.format(
        Locale.ROOT,
        "%d cores (Runtime.availableProcessors), %s, %s, %s, %s, max heap %s",
        m.get("cores").asInt(),
        m.get("cpu").asText(),
        m.get("jvm").asText(),
        m.get("osArch").asText(),
        m.get("os").asText(),
        mib(m.get("maxHeapBytes").asLong()));
  }

  /**
   * A size such as {@code 1g}, {@code 500m}, {@code 64k} or {@code 1000} (bytes); binary multiples.
   */
  static long parseSize(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    long multiplier = 1;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'k' -> multiplier = 1L << 10;
        case 'm' -> multiplier = 1L << 20;
        case 'g' -> multiplier = 1L << 30;
        default -> multiplier = 1;
      }
    }
    String number = multiplier == 1 ? t : t.substring(0, t.length() - 1);
    try {
      double value = Double.parseDouble(number);
      if (!(value > 0)) {
        throw new NumberFormatException();
      }
      return (long) (value * multiplier);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size: use e.g. 1g, 200m, 64k or a number of bytes");
    }
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  static String grouped(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  static String json(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
