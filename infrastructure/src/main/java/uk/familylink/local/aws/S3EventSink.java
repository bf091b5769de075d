package uk.familylink.local.aws;

/**
 * Where the local environment delivers S3 event notifications: in the real deployment S3 invokes
 * the ingest Lambda; locally the Lambda handler is plugged in here. The JSON is the body S3 would
 * send (a {@code Records} array), so the handler sees exactly what it sees in AWS.
 */
@FunctionalInterface
public interface S3EventSink {
  void deliver(String s3EventJson);
}
