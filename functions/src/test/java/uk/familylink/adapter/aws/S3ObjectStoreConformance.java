package uk.familylink.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import uk.familylink.domain.ingest.ObjectStore.ObjectChangedException;
import uk.familylink.domain.ingest.ObjectStore.ObjectInfo;

/**
 * Behaviour every S3 endpoint must show through {@link S3ObjectStore}; subclasses supply the
 * endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class S3ObjectStoreConformance {

  protected abstract AwsEndpoint endpoint();

  private S3Client s3;
  private S3ObjectStore store;
  private String bucket;

  @BeforeAll
  void createBucket() {
    s3 = endpoint().s3();
    store = new S3ObjectStore(s3);
    bucket = "familylink-conformance-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(
        b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint("eu-west-2")));
  }

  @AfterAll
  void closeClient() {
    if (s3 != null) {
      s3.close();
    }
  }

  private static String md5Hex(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
  }

  @Test
  void putThenHeadReportsSizeAndUnquotedETag() throws Exception {
    byte[] content = "a,b,c\n1,2,3\n".getBytes(StandardCharsets.UTF_8);
    store.put(bucket, "incoming/p/d/head.csv", content, "text/csv");

    ObjectInfo info = store.head(bucket, "incoming/p/d/head.csv").orElseThrow();

    assertThat(info.key()).isEqualTo("incoming/p/d/head.csv");
    assertThat(info.size()).isEqualTo(content.length);
    // S3 quotes ETags in API responses; events carry them bare, so the adapter must too
    assertThat(info.eTag()).doesNotContain("\"").isEqualTo(md5Hex(content));
  }

  @Test
  void headOfMissingObjectIsEmpty() {
    assertThat(store.head(bucket, "incoming/p/d/never-written.csv")).isEmpty();
  }

  @Test
  void openStreamsTheContentWhenETagMatchesInEitherQuoting() throws Exception {
    byte[] content = "row1\nrow2\n".getBytes(StandardCharsets.UTF_8);
    store.put(bucket, "incoming/p/d/open.csv", content, "text/csv");
    String eTag = store.head(bucket, "incoming/p/d/open.csv").orElseThrow().eTag();

    try (InputStream in = store.open(bucket, "incoming/p/d/open.csv", eTag)) {
      // read window by window, never the whole object buffered
      assertThat(in).isInstanceOf(RangedObjectStream.class);
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    try (InputStream in = store.open(bucket, "incoming/p/d/open.csv", "\"" + eTag + "\"")) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    try (InputStream in = store.open(bucket, "incoming/p/d/open.csv", null)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void aManyWindowReadGivesEveryByteOnceAndAnEmptyObjectReadsEmpty() throws Exception {
    byte[] content = new byte[10_000];
    new java.util.Random(5).nextBytes(content);
    store.put(bucket, "incoming/p/d/windows.csv", content, "text/csv");
    String eTag = store.head(bucket, "incoming/p/d/windows.csv").orElseThrow().eTag();
    S3ObjectStore smallWindows = new S3ObjectStore(s3, false, null, 999);

    try (InputStream in = smallWindows.open(bucket, "incoming/p/d/windows.csv", eTag)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    try (InputStream in = smallWindows.open(bucket, "incoming/p/d/windows.csv", null)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    store.put(bucket, "incoming/p/d/empty.csv", new byte[0], "text/csv");
    String emptyETag = store.head(bucket, "incoming/p/d/empty.csv").orElseThrow().eTag();
    try (InputStream in = smallWindows.open(bucket, "incoming/p/d/empty.csv", emptyETag)) {
      assertThat(in.readAllBytes()).isEmpty();
    }
  }

  @Test
  void anObjectReplacedBetweenWindowsFailsTheReadAsObjectChanged() throws Exception {
    byte[] v1 = new byte[3_000];
    java.util.Arrays.fill(v1, (byte) 'a');
    store.put(bucket, "incoming/p/d/replaced.csv", v1, "text/csv");
    S3ObjectStore smallWindows = new S3ObjectStore(s3, false, null, 1_000);

    // no ETag given: the first window's pins the rest, so the read never mixes two objects
    try (InputStream in = smallWindows.open(bucket, "incoming/p/d/replaced.csv", null)) {
      assertThat(in.readNBytes(1_000)).isEqualTo(java.util.Arrays.copyOf(v1, 1_000));
      byte[] v2 = new byte[3_000];
      java.util.Arrays.fill(v2, (byte) 'b');
      store.put(bucket, "incoming/p/d/replaced.csv", v2, "text/csv");
      assertThatThrownBy(in::read).isInstanceOf(ObjectChangedException.class);
    }
  }

  @Test
  void openWithStaleETagFailsAsObjectChanged() throws Exception {
    store.put(
        bucket, "incoming/p/d/changed.csv", "v1".getBytes(StandardCharsets.UTF_8), "text/csv");
    String oldETag = store.head(bucket, "incoming/p/d/changed.csv").orElseThrow().eTag();
    store.put(
        bucket, "incoming/p/d/changed.csv", "v2".getBytes(StandardCharsets.UTF_8), "text/csv");

    assertThatThrownBy(() -> store.open(bucket, "incoming/p/d/changed.csv", oldETag))
        .isInstanceOf(ObjectChangedException.class);
  }

  @Test
  void openOfDeletedObjectFailsAsObjectChanged() {
    store.put(
        bucket, "incoming/p/d/vanished.csv", "x".getBytes(StandardCharsets.UTF_8), "text/csv");
    String eTag = store.head(bucket, "incoming/p/d/vanished.csv").orElseThrow().eTag();
    store.delete(bucket, "incoming/p/d/vanished.csv");

    assertThatThrownBy(() -> store.open(bucket, "incoming/p/d/vanished.csv", eTag))
        .isInstanceOf(ObjectChangedException.class);
    assertThatThrownBy(() -> store.open(bucket, "incoming/p/d/vanished.csv", null))
        .isInstanceOf(ObjectChangedException.class);
  }

  @Test
  void keysWithSpacesAndUnicodeRoundTrip() throws Exception {
    String key = "incoming/north agency/school attendance/Ærø café 名前 + 100%.csv";
    byte[] content = "é,ü\n".getBytes(StandardCharsets.UTF_8);
    store.put(bucket, key, content, "text/csv; charset=utf-8");

    ObjectInfo info = store.head(bucket, key).orElseThrow();
    assertThat(info.size()).isEqualTo(content.length);
    try (InputStream in = store.open(bucket, key, info.eTag())) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(store.list(bucket, "incoming/north agency/"))
        .extracting(ObjectInfo::key)
        .containsExactly(key);

    store.delete(bucket, key);
    assertThat(store.head(bucket, key)).isEmpty();
    assertThat(store.list(bucket, "incoming/north agency/")).isEmpty();
  }

  @Test
  void listReturnsOnlyThePrefixInKeyOrderAcrossPages() {
    byte[] one = {1};
    // more than one ListObjectsV2 page (1,000 keys) so the paginator is exercised
    for (int i = 1004; i >= 0; i--) {
      store.put(bucket, String.format("reports/many/%05d.json", i), one, "application/json");
    }
    store.put(bucket, "reports/other/x.json", one, "application/json");

    List<ObjectInfo> listed = store.list(bucket, "reports/many/");

    assertThat(listed).hasSize(1005);
    assertThat(listed.get(0).key()).isEqualTo("reports/many/00000.json");
    assertThat(listed.get(1004).key()).isEqualTo("reports/many/01004.json");
    assertThat(listed).extracting(ObjectInfo::key).isSorted();
    assertThat(listed)
        .allSatisfy(
            o -> {
              assertThat(o.size()).isEqualTo(1);
              assertThat(o.eTag()).doesNotContain("\"").isNotBlank();
            });
  }

  @Test
  void deletingAMissingObjectIsNotAnError() {
    store.delete(bucket, "incoming/p/d/not-there.csv");
    assertThat(store.head(bucket, "incoming/p/d/not-there.csv")).isEmpty();
  }

  @Test
  void kmsFlagRequestsServerSideEncryption() {
    S3ObjectStore encrypting = new S3ObjectStore(s3, true, null);
    encrypting.put(
        bucket,
        "reports/p/encrypted.json",
        "{}".getBytes(StandardCharsets.UTF_8),
        "application/json");

    assertThat(
            s3.headObject(b -> b.bucket(bucket).key("reports/p/encrypted.json"))
                .serverSideEncryption())
        .isEqualTo(ServerSideEncryption.AWS_KMS);
  }

  @Test
  void unquotedAndWeakETagsNormalise() {
    assertThat(S3ObjectStore.normaliseETag("\"abc\"")).isEqualTo("abc");
    assertThat(S3ObjectStore.normaliseETag("abc")).isEqualTo("abc");
    assertThat(S3ObjectStore.normaliseETag("W/\"abc-2\"")).isEqualTo("abc-2");
    assertThat(S3ObjectStore.normaliseETag(null)).isNull();
  }

  @Test
  void aPinnedVersionIsReadAndDeletedWhileANewerUploadUnderTheSameKeyStays() throws Exception {
    String versioned = bucket + "-v";
    s3.createBucket(
        b -> b.bucket(versioned).createBucketConfiguration(c -> c.locationConstraint("eu-west-2")));
    s3.putBucketVersioning(
        b -> b.bucket(versioned).versioningConfiguration(v -> v.status("Enabled")));
    String key = "incoming/p/d/versions.csv";
    String v1 =
        s3.putObject(
                b -> b.bucket(versioned).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromString("first\n"))
            .versionId();
    s3.putObject(
        b -> b.bucket(versioned).key(key),
        software.amazon.awssdk.core.sync.RequestBody.fromString("second\n"));

    try (InputStream in = store.open(versioned, key, null, v1)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first\n");
    }
    assertThat(store.deleteVersion(versioned, key, null, v1)).isTrue();

    try (InputStream in = store.open(versioned, key, null, null)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second\n");
    }
    assertThat(s3.listObjectVersions(b -> b.bucket(versioned).prefix(key)).versions())
        .as("the first version is gone for good, no delete marker")
        .singleElement()
        .satisfies(v -> assertThat(v.versionId()).isNotEqualTo(v1));
    assertThat(store.deleteVersion(versioned, key, null, v1))
        .as("deleting a version already gone is no error")
        .isTrue();
  }

  @Test
  void withoutVersionsOnlyTheObjectWithTheEventsETagIsDeleted() {
    String key = "incoming/p/d/replaced.csv";
    store.put(bucket, key, "old\n".getBytes(StandardCharsets.UTF_8), "text/csv");
    String oldTag = store.head(bucket, key).orElseThrow().eTag();
    store.put(bucket, key, "newer upload\n".getBytes(StandardCharsets.UTF_8), "text/csv");

    assertThat(store.deleteVersion(bucket, key, oldTag, null)).isFalse();
    assertThat(store.head(bucket, key)).isPresent();

    String newTag = store.head(bucket, key).orElseThrow().eTag();
    assertThat(store.deleteVersion(bucket, key, newTag, null)).isTrue();
    assertThat(store.head(bucket, key)).isEmpty();
  }
}
