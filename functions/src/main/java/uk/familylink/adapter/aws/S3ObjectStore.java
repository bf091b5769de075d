package uk.familylink.adapter.aws;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import uk.familylink.domain.ingest.ObjectStore;

/**
 * S3 adapter. ETags are handed out unquoted (as S3 event notifications carry them) whatever form
 * the S3 API returns; {@link #open} accepts either form. Objects are streamed, never buffered
 * whole.
 */
public final class S3ObjectStore implements ObjectStore {

  private final S3Client s3;
  private final boolean kmsEncryption;
  private final String kmsKeyId;

  /**
   * Without server-side KMS encryption headers (for emulators, or buckets with default encryption).
   */
  public S3ObjectStore(S3Client s3) {
    this(s3, false, null);
  }

  /**
   * @param kmsEncryption send {@code x-amz-server-side-encryption: aws:kms} on every put
   * @param kmsKeyId key for SSE-KMS, or null for the bucket's/account's default KMS key
   */
  public S3ObjectStore(S3Client s3, boolean kmsEncryption, String kmsKeyId) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.kmsEncryption = kmsEncryption;
    this.kmsKeyId = kmsKeyId;
  }

  /** Strips the surrounding quotes S3 puts around ETags in API responses. */
  public static String normaliseETag(String eTag) {
    if (eTag == null) {
      return null;
    }
    String t = eTag.strip();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return t;
  }

  @Override
  public Optional<ObjectInfo> head(String bucket, String key) {
    try {
      HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
      return Optional.of(
          new ObjectInfo(
              key, r.contentLength() == null ? 0 : r.contentLength(), normaliseETag(r.eTag())));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw AwsAdapterException.of("HeadObject", e);
    } catch (SdkException e) {
      throw AwsAdapterException.of("HeadObject", e);
    }
  }

  @Override
  public InputStream open(String bucket, String key, String eTag, String versionId) {
    GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(bucket).key(key);
    if (versionId != null) {
      req.versionId(versionId);
    } else if (eTag != null) {
      req.ifMatch("\"" + normaliseETag(eTag) + "\"");
    }
    try {
      return s3.getObject(req.build());
    } catch (NoSuchKeyException e) {
      throw new ObjectChangedException(key);
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 404) {
        throw new ObjectChangedException(key);
      }
      throw AwsAdapterException.of("GetObject", e);
    } catch (SdkException e) {
      throw AwsAdapterException.of("GetObject", e);
    }
  }

  @Override
  public void put(String bucket, String key, byte[] content, String contentType) {
    PutObjectRequest.Builder req =
        PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType);
    if (kmsEncryption) {
      req.serverSideEncryption(ServerSideEncryption.AWS_KMS);
      if (kmsKeyId != null) {
        req.ssekmsKeyId(kmsKeyId);
      }
    }
    try {
      s3.putObject(req.build(), RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw AwsAdapterException.of("PutObject", e);
    }
  }

  @Override
  public void delete(String bucket, String key) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      // already gone: deleting a missing object is not an error
    } catch (SdkException e) {
      throw AwsAdapterException.of("DeleteObject", e);
    }
  }

  /**
   * With a version id: DeleteObject of that version (removed for good, no delete marker; a newer
   * upload under the key is untouched). Without one (an unversioned bucket or emulator): the
   * current object is deleted only if HeadObject still shows the ETag. That check and the delete
   * are two calls, so a replacement landing between them could still be deleted; versioned buckets
   * (template.yaml) do not have that gap.
   */
  @Override
  public boolean deleteVersion(String bucket, String key, String eTag, String versionId) {
    if (versionId != null) {
      try {
        s3.deleteObject(b -> b.bucket(bucket).key(key).versionId(versionId));
      } catch (NoSuchKeyException e) {
        // already gone
      } catch (S3Exception e) {
        if (e.statusCode() != 404) {
          throw AwsAdapterException.of("DeleteObject(version)", e);
        }
      } catch (SdkException e) {
        throw AwsAdapterException.of("DeleteObject(version)", e);
      }
      return true;
    }
    if (eTag != null) {
      Optional<ObjectInfo> current = head(bucket, key);
      if (current.isEmpty()) {
        return true;
      }
      if (!normaliseETag(eTag).equals(current.get().eTag())) {
        return false;
      }
    }
    delete(bucket, key);
    return true;
  }

  @Override
  public List<ObjectInfo> list(String bucket, String prefix) {
    List<ObjectInfo> out = new ArrayList<>();
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        out.add(new ObjectInfo(o.key(), o.size() == null ? 0 : o.size(), normaliseETag(o.eTag())));
      }
    } catch (SdkException e) {
      throw AwsAdapterException.of("ListObjectsV2", e);
    }
    return out;
  }
}
