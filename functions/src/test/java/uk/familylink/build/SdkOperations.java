package uk.familylink.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The operations file ({@code src/lambda/sdk-operations.txt}): service and operation a line. */
public final class SdkOperations {

  /** Where the file is, from the functions module's directory (Maven's working directory). */
  public static final Path FILE = Path.of("src/lambda/sdk-operations.txt");

  private SdkOperations() {}

  /** Service (the SDK package name: s3, dynamodb, kms, sqs) to its kept operations. */
  public static Map<String, Set<String>> read(Path file) throws IOException {
    Map<String, Set<String>> keep = new TreeMap<>();
    for (String line : Files.readAllLines(file)) {
      String content = line.strip();
      if (content.isEmpty() || content.startsWith("#")) {
        continue;
      }
      String[] fields = content.split("\\s+", 3);
      if (fields.length < 2) {
        throw new IllegalArgumentException("expected 'service operation [note]': " + line);
      }
      if (!keep.computeIfAbsent(fields[0], s -> new TreeSet<>()).add(fields[1])) {
        throw new IllegalArgumentException("listed twice: " + line);
      }
    }
    return keep;
  }
}
