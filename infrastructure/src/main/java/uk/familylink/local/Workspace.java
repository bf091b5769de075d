package uk.familylink.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.pseudonym.Tokeniser;

/**
 * The local tool's workspace: one folder (default {@code .familylink/} under the working directory)
 * holding everything a local FamilyLink keeps between runs.
 *
 * <pre>
 * workspace.properties  what the data was made with (format, table schema, token label, contracts)
 * root.key              the local keyring's root key (owner-only)
 * s3/                   the landing bucket's objects (s3proxy filesystem store)
 * dynamodb/             DynamoDB Local's one shared database file (-sharedDb)
 * familylink.log        the functions' JSON log lines (the terminal shows results only)
 * serve.properties      while serve runs: its endpoints, so other commands use them
 * lock                  held by the command using the stores
 * </pre>
 *
 * <p>A workspace made by an incompatible version (another folder format, table schema, token
 * derivation or contract version) is refused with what differs and how to start afresh.
 */
public final class Workspace implements AutoCloseable {

  /** Version of this folder's layout. */
  public static final int FORMAT = 1;

  /** Version of the linked and audit tables' keys and indexes; bump when they change. */
  public static final int TABLE_SCHEMA = 1;

  static final String MANIFEST = "workspace.properties";
  static final String SERVE = "serve.properties";
  private static final String LOCK = "lock";

  private final Path home;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private Workspace(Path home, FileChannel lockChannel, FileLock lock) {
    this.home = home;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Thrown when the workspace cannot be used as asked; the message says why and what to do. */
  public static final class WorkspaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkspaceException(String message) {
      super(message);
    }
  }

  /**
   * Opens (creating if need be) the workspace at {@code home} and takes its lock.
   *
   * @param fresh empty it first
   * @throws InUseException when another command holds it (see {@link #runningServe})
   */
  public static Workspace open(Path home, boolean fresh) {
    createFolder(home);
    Workspace workspace = lock(home);
    try {
      if (fresh) {
        emptyAll(home);
      }
      workspace.checkOrRecordManifest();
    } catch (RuntimeException e) {
      workspace.close();
      throw e;
    }
    return workspace;
  }

  /** Another command (a running serve) holds the workspace. */
  public static final class InUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InUseException(Path home) {
      super(
          "the workspace "
              + home
              + " is in use by another familylink command; stop it (Ctrl-C), or choose another"
              + " folder with --home");
    }
  }

  private static void createFolder(Path home) {
    try {
      if (Files.exists(home) && !Files.isDirectory(home)) {
        throw new WorkspaceException(home + " is not a directory: choose a folder with --home");
      }
      Files.createDirectories(home);
    } catch (AccessDeniedException e) {
      throw new WorkspaceException("permission denied: cannot create the workspace " + home);
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      throw new WorkspaceException(home + " is not a directory: choose a folder with --home");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the workspace " + home, e);
    }
    if (!Files.isWritable(home)) {
      throw new WorkspaceException("permission denied: the workspace " + home + " is not writable");
    }
  }

  private static Workspace lock(Path home) {
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(home.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new InUseException(home);
      }
      return new Workspace(home, channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new InUseException(home);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock the workspace " + home, e);
    }
  }

  /** The endpoints a running serve recorded, if one holds the workspace. */
  public static Map<String, String> runningServe(Path home) {
    Path file = home.resolve(SERVE);
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    Properties p = read(file);
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  /** Records serve's endpoints until {@link #close()}. */
  public void recordServe(Map<String, String> endpoints) {
    Properties p = new Properties();
    p.putAll(endpoints);
    write(home.resolve(SERVE), p, "endpoints of the running serve; removed when it stops");
  }

  /** What this version writes; a workspace recording anything else is refused. */
  static Map<String, String> expectedManifest(ContractRegistry contracts) {
    Map<String, String> m = new TreeMap<>();
    m.put("format", Integer.toString(FORMAT));
    m.put("tableSchema", Integer.toString(TABLE_SCHEMA));
    m.put("tokenLabel", Tokeniser.TOKEN_LABEL);
    for (DatasetContract c : contracts.all()) {
      m.put("contract." + c.dataset(), Integer.toString(c.version()));
    }
    return m;
  }

  private void checkOrRecordManifest() {
    Map<String, String> expected = expectedManifest(ContractRegistry.fromClasspath());
    Path file = home.resolve(MANIFEST);
    if (!Files.exists(file)) {
      if (hasData(home)) {
        throw new WorkspaceException(
            "the workspace "
                + home
                + " holds data but no "
                + MANIFEST
                + ", so what made it is unknown; run 'familylink reset --home "
                + home
                + "' to empty it, or choose another folder with --home");
      }
      Properties p = new Properties();
      p.putAll(expected);
      write(file, p, "FamilyLink local workspace: what its data was made with");
      return;
    }
    Properties recorded = read(file);
    List<String> differences = new ArrayList<>();
    boolean added = false;
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String was = recorded.getProperty(e.getKey());
      if (was == null && e.getKey().startsWith("contract.")) {
        recorded.setProperty(e.getKey(), e.getValue()); // a new dataset: nothing stored under it
        added = true;
      } else if (!e.getValue().equals(was)) {
        differences.add(e.getKey() + " " + was + " (this version: " + e.getValue() + ")");
      }
    }
    if (!differences.isEmpty()) {
      throw new WorkspaceException(
          "the workspace "
              + home
              + " was made by an incompatible FamilyLink: "
              + String.join(", ", differences)
              + "; run 'familylink reset --home "
              + home
              + "' (or add --fresh) to empty it, or choose another folder with --home");
    }
    if (added) {
      write(file, recorded, "FamilyLink local workspace: what its data was made with");
    }
  }

  private static boolean hasData(Path home) {
    return Files.exists(home.resolve("dynamodb")) || Files.exists(home.resolve("s3"));
  }

  /**
   * Empties the workspace at {@code home} (data, keyring, logs), whatever version made it; refused
   * while another command uses it.
   */
  public static void reset(Path home) {
    if (!Files.exists(home)) {
      return;
    }
    createFolder(home);
    Workspace held = lock(home);
    try {
      emptyAll(home);
    } finally {
      held.close();
    }
  }

  private static void emptyAll(Path home) {
    if (!Files.isDirectory(home)) {
      return;
    }
    try (Stream<Path> children = Files.list(home)) {
      for (Path child : children.toList()) {
        if (child.getFileName().toString().equals(LOCK)) {
          continue;
        }
        deleteTree(child);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty the workspace " + home, e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  public Path home() {
    return home;
  }

  public Path rootKey() {
    return home.resolve("root.key");
  }

  public Path logFile() {
    return home.resolve("familylink.log");
  }

  private static Properties read(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return p;
  }

  private static void write(Path file, Properties p, String comment) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, comment);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    try {
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing held
      }
    }
  }

  /** Releases the lock; serve's endpoints file goes with it. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(home.resolve(SERVE));
    } catch (IOException ignored) {
      // a stale file is ignored: it is read only while the lock is held
    }
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(lockChannel);
  }
}
