package uk.familylink.local.aws;

import java.time.Clock;
import java.util.ServiceLoader;

/**
 * Builds the {@link S3EventSink} that runs the ingest Lambda handler against the local services.
 * Implementations are found with {@link ServiceLoader} (a {@code META-INF/services} entry), so the
 * handler's wiring can live beside the handler; without one, events are only printed.
 */
public interface SinkFactory {

    /** Prepares whatever the handler needs (tables, keys) and returns the sink. */
    S3EventSink create(EmbeddedAws aws, Clock clock);

    static SinkFactory discover() {
        return ServiceLoader.load(SinkFactory.class).findFirst().orElse((aws, clock) -> json -> {
            var record = software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification.fromJson(json).getRecords().get(0);
            System.out.println("event: " + record.getEventName() + " " + record.getS3().getObject().getUrlDecodedKey()
                    + " (no ingest handler wired: add a SinkFactory service)");
        });
    }
}
