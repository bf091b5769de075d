package uk.familylink.local.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code familylink bench cpu|store}: the commands that check the performance targets. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks behind the performance targets: 'cpu' (rows/s on one thread, bounded heap) and 'store' (DynamoDB Local).",
    subcommands = {
      CpuBenchCommand.class,
      StoreBenchCommand.class,
      OutputsBenchCommand.class,
      ColdStartBenchCommand.class,
      ContinuationBenchCommand.class
    })
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
