package uk.familylink.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar familylink.jar <command>}: the local FamilyLink environment. */
@Command(
    name = "familylink",
    mixinStandardHelpOptions = true,
    version = "FamilyLink local 0.1.0",
    description =
        "FamilyLink on your machine: synthetic partner extracts, an in-JVM S3 and DynamoDB, the real ingest handler.",
    subcommands = {
      GenerateCommand.class,
      DemoCommand.class,
      ValidateCommand.class,
      ServeCommand.class,
      AccessCommand.class,
      AuditCommand.class,
      SweepCommand.class,
      RestampCommand.class,
      LinkageQualityCommand.class,
      uk.familylink.local.bench.BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FamilyLinkCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    return new CommandLine(new FamilyLinkCli())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              // Our exceptions say what is wrong and what to do; a stack trace would only bury
              // that.
              cmd.getErr().println("familylink: " + e.getMessage());
              return 1;
            });
  }

  public static void main(String[] args) {
    int exit = commandLine().execute(args);
    // Some libraries (DynamoDB Local) may leave non-daemon threads; the command is finished.
    System.exit(exit);
  }
}
