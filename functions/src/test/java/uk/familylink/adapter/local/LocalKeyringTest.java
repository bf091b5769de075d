package uk.familylink.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.familylink.domain.pseudonym.Tokeniser;

class LocalKeyringTest {

  @TempDir Path dir;

  @Test
  void rfc4231TestCase2() {
    LocalKeyring keyring = new LocalKeyring("Jefe".getBytes(StandardCharsets.US_ASCII));
    assertThat(HexFormat.of().formatHex(keyring.deriveWorkingKey("what do ya want for nothing?")))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void createsAnOwnerOnlyRootKeyOf32BytesOnFirstUse() throws Exception {
    Path file = dir.resolve("keys/root.key");
    new LocalKeyring(file);
    assertThat(file).isRegularFile();
    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).as("no temporary file left behind").containsExactly(file);
    }
  }

  @Test
  void reusesTheFileOnTheNextRunAndDerivesWithItsBytes() throws Exception {
    Path file = dir.resolve("root.key");
    byte[] first = new LocalKeyring(file).deriveWorkingKey(Tokeniser.TOKEN_LABEL);
    byte[] material = Files.readAllBytes(file);
    byte[] second = new LocalKeyring(file).deriveWorkingKey(Tokeniser.TOKEN_LABEL);
    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllBytes(file)).as("not rewritten").isEqualTo(material);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(material, "HmacSHA256"));
    assertThat(first)
        .isEqualTo(mac.doFinal(Tokeniser.TOKEN_LABEL.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void separateRootFilesGiveDifferentKeysAndLabelsSeparateKeys() {
    LocalKeyring a = new LocalKeyring(dir.resolve("a.key"));
    LocalKeyring b = new LocalKeyring(dir.resolve("b.key"));
    assertThat(a.deriveWorkingKey("familylink/v1/token"))
        .isNotEqualTo(b.deriveWorkingKey("familylink/v1/token"));
    assertThat(a.deriveWorkingKey("familylink/v1/token"))
        .isNotEqualTo(a.deriveWorkingKey("familylink/v1/bloom"));
    assertThat(a.deriveWorkingKey("familylink/v1/token")).hasSize(32);
  }

  @Test
  void usesAnExistingWellFormedKeyFile() throws Exception {
    Path file = dir.resolve("given.key");
    byte[] material = new byte[32];
    material[31] = 1;
    Files.write(file, material);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(new LocalKeyring(file).deriveWorkingKey("x"))
        .isEqualTo(new LocalKeyring(material).deriveWorkingKey("x"));
  }

  @Test
  void refusesAKeyFileOfTheWrongLength() throws Exception {
    Path file = dir.resolve("short.key");
    Files.write(file, new byte[] {0x41, 0x42, 0x43});
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> new LocalKeyring(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("32 bytes")
        .hasMessageContaining(file.getFileName().toString())
        .hasMessageNotContaining("ABC");
  }

  @Test
  void refusesAKeyFileTheGroupOrOthersCanRead() throws Exception {
    for (String perms : new String[] {"rw-r-----", "rw----r--", "rw--w----"}) {
      Path file = dir.resolve(perms + ".key");
      Files.write(file, new byte[32]);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
      assertThatThrownBy(() -> new LocalKeyring(file))
          .as(perms)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("owner only");
    }
  }

  @Test
  void refusesADirectoryInPlaceOfTheKeyFile() throws Exception {
    Path file = Files.createDirectory(dir.resolve("root.key"));
    assertThatThrownBy(() -> new LocalKeyring(file)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    assertThat(new LocalKeyring("Jefe".getBytes(StandardCharsets.US_ASCII)).toString())
        .doesNotContain("Jefe");
  }
}
