package uk.familylink.adapter.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import uk.familylink.domain.retention.AgedObjectStore;

/** The sweep's view of the landing bucket: listings with last-modified times, and deletes. */
public final class S3AgedObjects implements AgedObjectStore {

  private final S3Client s3;
  private final S3ObjectStore objects;

  public S3AgedObjects(S3Client s3) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.objects = new S3ObjectStore(s3);
  }

  @Override
  public List<StoredObject> list(String bucket, String prefix) {
    List<StoredObject> out = new ArrayList<>();
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        out.add(new StoredObject(o.key(), o.lastModified()));
      }
    } catch (SdkException e) {
      throw AwsAdapterException.of("ListObjectsV2(sweep)", e);
    }
    return out;
  }

  @Override
  public void delete(String bucket, String key) {
    objects.delete(bucket, key);
  }
}
