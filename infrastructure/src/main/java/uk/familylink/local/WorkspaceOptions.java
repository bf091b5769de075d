package uk.familylink.local;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * Where a command's stores live, shared by every command that uses them ({@code @Mixin}): the
 * workspace folder, or endpoints of services running elsewhere, or (for one-off runs) memory.
 */
public final class WorkspaceOptions {

  @Option(
      names = "--home",
      defaultValue = ".familylink",
      description =
          "Workspace folder: S3 objects, the DynamoDB database, the keyring, the log (default ${DEFAULT-VALUE}).")
  Path home = Path.of(".familylink");

  @Option(names = "--fresh", description = "Empty the workspace first (data, keyring, log).")
  boolean fresh;

  @Option(
      names = "--in-memory",
      description =
          "Keep this run's data in memory only (the workspace is not touched, except the keyring).")
  boolean inMemory;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      description = "Use this S3 (e.g. moto, LocalStack) instead of the embedded one.")
  URI s3Endpoint;

  @Option(
      names = "--dynamodb-endpoint",
      paramLabel = "URL",
      description = "Use this DynamoDB instead of the embedded one.")
  URI dynamoDbEndpoint;

  @Option(
      names = "--kms-endpoint",
      paramLabel = "URL",
      description =
          "Derive working keys with this KMS (GenerateMac) instead of the local keyring; see --kms-key-id.")
  URI kmsEndpoint;

  @Option(
      names = "--kms-key-id",
      paramLabel = "ID",
      description =
          "The HMAC_256 root key at --kms-endpoint (default: alias/familylink-local-root, created if missing).")
  String kmsKeyId;

  EmbeddedAws.Endpoints external() {
    return new EmbeddedAws.Endpoints(s3Endpoint, dynamoDbEndpoint, kmsEndpoint);
  }

  public Path home() {
    return home;
  }
}
