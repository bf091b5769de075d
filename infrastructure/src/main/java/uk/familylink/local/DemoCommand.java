package uk.familylink.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3EventSink;
import uk.familylink.local.aws.S3Events;
import uk.familylink.local.aws.SinkFactory;
import uk.familylink.local.population.Dataset;
import uk.familylink.local.population.ExtractWriter;
import uk.familylink.local.population.PopulationGenerator;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a synthetic population, upload each partner's extract to a local S3 and run the ingest handler on it.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--families", defaultValue = "" + PopulationGenerator.DEFAULT_FAMILIES, description = "Number of families (default ${DEFAULT-VALUE}).")
    int families;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "target/familylink-demo", description = "Working folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--contracts", description = "Folder of contract YAML files (default: classpath contracts/, else built-in columns).")
    Path contracts;

    @Option(names = "--dynamodb", defaultValue = "IN_PROCESS", description = "DynamoDB Local mode: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}, the faster).")
    EmbeddedAws.DynamoMode dynamoMode;

    @Override
    public Integer call() throws Exception {
        Clock clock = Clock.systemUTC();
        ExtractWriter.Summary summary = GenerateCommand.generate(families, seed, out, contracts, false, clock);
        try (EmbeddedAws aws = EmbeddedAws.start(EmbeddedAws.Options.defaults().withDynamoMode(dynamoMode))) {
            S3EventSink sink = SinkFactory.discover().create(aws, clock);
            IncomingPoller poller = new IncomingPoller(aws.s3(), aws.bucket(), new S3Events(clock, aws.region().id()), sink);
            for (Dataset dataset : Dataset.values()) {
                Path file = summary.files().get(dataset);
                String key = dataset.incomingKey(file.getFileName().toString());
                long start = System.nanoTime();
                aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromFile(file));
                int delivered = poller.pollOnce();
                System.out.printf("  %-18s uploaded %,d bytes to s3://%s/%s, %d event(s) handled in %d ms%n", dataset.id(), Files.size(file),
                        aws.bucket(), key, delivered, (System.nanoTime() - start) / 1_000_000);
            }
        }
        return 0;
    }
}
