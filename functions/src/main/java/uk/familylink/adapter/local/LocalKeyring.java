package uk.familylink.adapter.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.pseudonym.KeyPort;

/**
 * Local-mode {@link KeyPort}: the root key is a 32-byte file instead of a KMS HMAC_256 key, and
 * {@code deriveWorkingKey(label)} is HMAC-SHA256(root, UTF-8 label) computed in process, which is
 * exactly what KMS GenerateMac(HMAC_SHA_256) returns for a key with the same material.
 *
 * <p>The file is created on first use with 32 bytes from {@link SecureRandom}, owner-only ({@code
 * rw-------}) from the moment it exists: written to a temporary file created with those
 * permissions, then hard-linked into place, which fails rather than replaces if another process
 * created the key meanwhile (that key is then used). An existing file of the wrong length, or one
 * that the group or others may read or write, is refused at construction with a message naming the
 * path and the problem, never the bytes. On file systems without POSIX permissions the permission
 * check is skipped.
 */
public final class LocalKeyring implements KeyPort {

  public static final int ROOT_KEY_BYTES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(LocalKeyring.class);
  private static final String ALGORITHM = "HmacSHA256";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final SecretKeySpec root;

  /** Opens the root key file at {@code rootKeyFile}, creating it (and its directory) if absent. */
  public LocalKeyring(Path rootKeyFile) {
    this(rootKeyFile, new SecureRandom());
  }

  LocalKeyring(Path rootKeyFile, SecureRandom random) {
    Objects.requireNonNull(rootKeyFile, "rootKeyFile");
    byte[] material = loadOrCreate(rootKeyFile.toAbsolutePath(), random);
    try {
      this.root = new SecretKeySpec(material, ALGORITHM);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /** A keyring over given root key material (tests, and parity checks against KMS). */
  public LocalKeyring(byte[] rootKeyMaterial) {
    Objects.requireNonNull(rootKeyMaterial, "rootKeyMaterial");
    if (rootKeyMaterial.length == 0) {
      throw new IllegalArgumentException("root key material is empty");
    }
    this.root = new SecretKeySpec(rootKeyMaterial, ALGORITHM);
  }

  @Override
  public byte[] deriveWorkingKey(String label) {
    Objects.requireNonNull(label, "label");
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(root);
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "LocalKeyring"; // never the key material
  }

  private static byte[] loadOrCreate(Path file, SecureRandom random) {
    try {
      if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
        create(file, random);
      }
      return load(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open local root key file " + file, e);
    }
  }

  private static void create(Path file, SecureRandom random) throws IOException {
    Path dir = file.getParent();
    boolean posix = Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView("posix");
    if (!Files.isDirectory(dir)) {
      if (posix) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    }
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, ".root-key-", ".tmp", attrs);
    byte[] material = new byte[ROOT_KEY_BYTES];
    try {
      random.nextBytes(material);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(material);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.createLink(file, temp); // atomic, and never replaces an existing key
        LOG.info("Created local root key file {}", file);
      } catch (FileAlreadyExistsException raced) {
        LOG.info("Local root key file {} was created concurrently; using it", file);
      } catch (UnsupportedOperationException noHardLinks) {
        Files.move(temp, file); // without REPLACE_EXISTING: fails if it appeared
        LOG.info("Created local root key file {}", file);
      }
    } finally {
      Arrays.fill(material, (byte) 0);
      Files.deleteIfExists(temp);
    }
  }

  private static Path existingAncestor(Path dir) {
    Path p = dir;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? dir.getRoot() : p;
  }

  private static byte[] load(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException("local root key " + file + " is not a regular file");
    }
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      Set<PosixFilePermission> perms =
          Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> excess = EnumSet.copyOf(GROUP_OR_OTHERS);
      excess.retainAll(perms);
      if (!excess.isEmpty()) {
        throw new IllegalStateException(
            "local root key "
                + file
                + " must be accessible by its owner only"
                + " (chmod 600); it has "
                + PosixFilePermissions.toString(perms));
      }
    }
    long size = Files.size(file);
    if (size != ROOT_KEY_BYTES) {
      throw new IllegalStateException(
          "local root key "
              + file
              + " must hold exactly "
              + ROOT_KEY_BYTES
              + " bytes; it holds "
              + size);
    }
    byte[] material = Files.readAllBytes(file);
    if (material.length != ROOT_KEY_BYTES) { // changed between size and read
      Arrays.fill(material, (byte) 0);
      throw new IllegalStateException("local root key " + file + " changed while being read");
    }
    return material;
  }
}
