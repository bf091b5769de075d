package uk.familylink.local;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import uk.familylink.adapter.aws.KmsKeyPort;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.pseudonym.KeyPort;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * The stores one command works on, opened from {@link WorkspaceOptions}: the workspace (locked for
 * this command, its data on disk), or the endpoints of the serve already holding it, or external
 * endpoints, or memory. Closing stops what this command started and releases the workspace.
 */
public final class LocalSession implements AutoCloseable {

  /** Alias of the root key created at an external KMS when no key id is given. */
  public static final String LOCAL_ROOT_KEY_ALIAS = "alias/familylink-local-root";

  private final Workspace workspace;
  private final EmbeddedAws aws;
  private final KeyPort rootKey;
  private final LocalFamilyLink familyLink;
  private final boolean attachedToServe;

  private LocalSession(
      Workspace workspace,
      EmbeddedAws aws,
      KeyPort rootKey,
      LocalFamilyLink familyLink,
      boolean attachedToServe) {
    this.workspace = workspace;
    this.aws = aws;
    this.rootKey = rootKey;
    this.familyLink = familyLink;
    this.attachedToServe = attachedToServe;
  }

  /**
   * Opens the stores the options name.
   *
   * @param base ports, bucket and DynamoDB mode the command wants for embedded services
   * @param mayAttach when a running serve holds the workspace, use its endpoints instead of failing
   */
  public static LocalSession open(
      WorkspaceOptions options, EmbeddedAws.Options base, Clock clock, boolean mayAttach) {
    Workspace workspace = null;
    EmbeddedAws.Options chosen = base.withExternal(options.external());
    boolean attached = false;
    if (!options.inMemory) {
      try {
        workspace = Workspace.open(options.home, options.fresh);
        chosen = chosen.withDataDir(options.home);
      } catch (Workspace.InUseException e) {
        Map<String, String> serve = Workspace.runningServe(options.home);
        if (!mayAttach || options.fresh || serve.isEmpty()) {
          throw e;
        }
        chosen =
            chosen
                .withBucket(serve.getOrDefault("bucket", base.bucket()))
                .withExternal(
                    new EmbeddedAws.Endpoints(
                        uri(serve.get("s3")), uri(serve.get("dynamodb")), options.kmsEndpoint));
        attached = true;
      }
    }
    EmbeddedAws aws = null;
    try {
      aws = EmbeddedAws.start(chosen);
      KeyPort rootKey = keyPort(aws, options);
      LocalFamilyLink familyLink =
          new LocalFamilyLink(aws, rootKey, clock, LocalFamilyLink.ingestConfig());
      return new LocalSession(workspace, aws, rootKey, familyLink, attached);
    } catch (RuntimeException e) {
      if (aws != null) {
        aws.close();
      }
      if (workspace != null) {
        workspace.close();
      }
      throw e;
    }
  }

  private static URI uri(String text) {
    return text == null ? null : URI.create(text);
  }

  /** The keyring in the workspace, or the given KMS's root key. */
  private static KeyPort keyPort(EmbeddedAws aws, WorkspaceOptions options) {
    if (aws.kms().isEmpty()) {
      return new LocalKeyring(options.home.resolve("root.key"));
    }
    KmsClient kms = aws.kms().get();
    String keyId = options.kmsKeyId != null ? options.kmsKeyId : ensureLocalRootKey(kms);
    return new KmsKeyPort(kms, keyId);
  }

  /** The HMAC_256 key behind {@link #LOCAL_ROOT_KEY_ALIAS}, created on first use. */
  static String ensureLocalRootKey(KmsClient kms) {
    try {
      return kms.describeKey(b -> b.keyId(LOCAL_ROOT_KEY_ALIAS)).keyMetadata().keyId();
    } catch (NotFoundException e) {
      String keyId =
          kms.createKey(
                  b ->
                      b.keySpec(KeySpec.HMAC_256)
                          .keyUsage(KeyUsageType.GENERATE_VERIFY_MAC)
                          .description("FamilyLink local root key"))
              .keyMetadata()
              .keyId();
      kms.createAlias(b -> b.aliasName(LOCAL_ROOT_KEY_ALIAS).targetKeyId(keyId));
      return keyId;
    }
  }

  public EmbeddedAws aws() {
    return aws;
  }

  /** The root key working keys derive from: the workspace keyring, or the external KMS key. */
  public KeyPort rootKey() {
    return rootKey;
  }

  public LocalFamilyLink familyLink() {
    return familyLink;
  }

  /** The workspace this command holds; null in memory or when attached to a running serve. */
  public Workspace workspace() {
    return workspace;
  }

  /** True when a running serve holds the workspace and this command uses its endpoints. */
  public boolean attachedToServe() {
    return attachedToServe;
  }

  @Override
  public void close() {
    aws.close();
    if (workspace != null) {
      workspace.close();
    }
  }
}
