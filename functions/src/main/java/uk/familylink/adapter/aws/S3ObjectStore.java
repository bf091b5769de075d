package uk.familylink.adapter.aws;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import uk.familylink.domain.ingest.ObjectStore;

/**
 * S3 adapter. ETags are handed out unquoted (as S3 event notifications carry them) whatever form
 * the S3 API returns; {@link #open} accepts either form. Objects are read in ranged windows, never
 * buffered whole and never through one connection held for the whole read.
 */
public final class S3ObjectStore implements ObjectStore {

  /** Largest ranged GET a read makes; also the most of one object held in memory at once. */
  static final int WINDOW_BYTES = 8 * 1024 * 1024;

  /** Reads of one window before the object read fails. */
  static final int WINDOW_ATTEMPTS = 4;

  private final S3Client s3;
  private final int windowBytes;
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
    this(s3, kmsEncryption, kmsKeyId, WINDOW_BYTES);
  }

  /** With a chosen window size (tests read many windows of a small object). */
  S3ObjectStore(S3Client s3, boolean kmsEncryption, String kmsKeyId, int windowBytes) {
    if (windowBytes < 1) {
      throw new IllegalArgumentException("windowBytes must be positive");
    }
    this.windowBytes = windowBytes;
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

  /**
   * Streams one version window by window ({@link RangedObjectStream}): ranged GETs of at most
   * {@link #WINDOW_BYTES}, each pinned to the version id when given, otherwise to the ETag (the
   * caller's, or the first window's when the caller gave none), so every window is of one object
   * and a replacement between windows fails the read as {@link ObjectChangedException}.
   */
  @Override
  public InputStream open(String bucket, String key, String eTag, String versionId) {
    String[] pinnedETag = {eTag == null ? null : normaliseETag(eTag)};
    RangedObjectStream.Windows windows =
        (from, to) -> window(bucket, key, versionId, pinnedETag, from, to);
    RangedObjectStream.Window first;
    try {
      first = RangedObjectStream.readWindow(windows, 0, windowBytes, WINDOW_ATTEMPTS);
    } catch (IOException e) {
      throw new AwsAdapterException("GetObject failed: " + e.getMessage(), "ReadFailed", 0);
    }
    return new RangedObjectStream(windows, first, windowBytes, WINDOW_ATTEMPTS);
  }

  /** One ranged GET, read whole; pins the ETag from the first response when none was given. */
  private RangedObjectStream.Window window(
      String bucket, String key, String versionId, String[] pinnedETag, long from, long to)
      throws IOException {
    GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(bucket).key(key);
    if (versionId != null) {
      req.versionId(versionId);
    } else if (pinnedETag[0] != null) {
      req.ifMatch("\"" + pinnedETag[0] + "\"");
    }
    boolean ranged = true;
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(req.range("bytes=" + from + "-" + to).build());
    } catch (S3Exception e) {
      if (e.statusCode() == 416 && from == 0) {
        // an empty object has no byte 0 to range over: read it without a range
        in = get(req.range(null).build(), key);
        ranged = false;
      } else {
        throw changedOrFailed(e, key);
      }
    } catch (SdkException e) {
      throw AwsAdapterException.of("GetObject", e);
    }
    try (ResponseInputStream<GetObjectResponse> body = in) {
      GetObjectResponse r = body.response();
      if (versionId == null && pinnedETag[0] == null) {
        pinnedETag[0] = normaliseETag(r.eTag());
      }
      long length = objectLength(r, ranged, from);
      int wanted = (int) Math.min(to - from + 1, Math.max(0, length - from));
      byte[] bytes = body.readNBytes(wanted);
      if (bytes.length == wanted && wanted < to - from + 1 && body.read() != -1) {
        throw new IOException("the object has more bytes than its length said");
      }
      if (bytes.length < wanted) {
        body.abort();
      }
      return new RangedObjectStream.Window(bytes, length);
    } catch (SdkException e) {
      // the SDK's message is not kept (P1: it may echo request content), only its type
      throw new IOException("GetObject body read failed: " + e.getClass().getSimpleName());
    }
  }

  private ResponseInputStream<GetObjectResponse> get(GetObjectRequest request, String key) {
    try {
      return s3.getObject(request);
    } catch (S3Exception e) {
      throw changedOrFailed(e, key);
    } catch (SdkException e) {
      throw AwsAdapterException.of("GetObject", e);
    }
  }

  private static RuntimeException changedOrFailed(S3Exception e, String key) {
    if (e instanceof NoSuchKeyException || e.statusCode() == 412 || e.statusCode() == 404) {
      return new ObjectChangedException(key);
    }
    return AwsAdapterException.of("GetObject", e);
  }

  /**
   * The whole object's length: from Content-Range ({@code bytes 0-9/10}) for a ranged answer; a
   * server that ignored the range (200, no Content-Range) sent the whole object, which is only
   * usable for the first window.
   */
  private static long objectLength(GetObjectResponse r, boolean ranged, long from)
      throws IOException {
    String range = r.contentRange();
    if (range != null) {
      int slash = range.lastIndexOf('/');
      if (slash < 0 || "*".equals(range.substring(slash + 1).strip())) {
        throw new IOException("Content-Range without the object's length");
      }
      return Long.parseLong(range.substring(slash + 1).strip());
    }
    if (ranged && from > 0) {
      throw new IOException("the server ignored the byte range");
    }
    return r.contentLength() == null ? 0 : r.contentLength();
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
