package uk.familylink.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import uk.familylink.local.aws.EmbeddedAws;

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
      ReviewCommand.class,
      AuditCommand.class,
      ReportCommand.class,
      ReleaseCommand.class,
      SweepCommand.class,
      RestampCommand.class,
      ResetCommand.class,
      LinkageQualityCommand.class,
      uk.familylink.local.bench.BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FamilyLinkCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Also show the log on stderr (INFO); it always goes to familylink.log in the workspace.")
  boolean verbose;

  @CommandLine.Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Show the log on stderr from this level: ERROR, WARN, INFO, DEBUG.")
  String logLevel;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    return new CommandLine(new FamilyLinkCli())
        .registerConverter(java.time.LocalDate.class, new CliDates())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              // Our exceptions say what is wrong and what to do; a stack trace would only bury
              // that.
              cmd.getErr().println("familylink: " + message(e));
              return exitCode(e);
            });
  }

  /** Exit status 0 success, 1 a finding (or a failure of the tool), 2 a usage or input error. */
  public static final int OK = 0;

  public static final int FINDING = 1;
  public static final int USAGE = 2;

  static int exitCode(Exception e) {
    if (e instanceof CliException
        || e instanceof IllegalArgumentException
        || e instanceof Workspace.WorkspaceException
        || e instanceof Workspace.InUseException
        || e instanceof EmbeddedAws.PortInUseException
        || e instanceof java.nio.file.NoSuchFileException
        || e instanceof java.nio.file.AccessDeniedException
        || e instanceof java.nio.file.FileSystemException) {
      return USAGE;
    }
    return FINDING;
  }

  /** The message, with the file-system cases said plainly. */
  static String message(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (e instanceof java.nio.file.AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (e instanceof java.nio.file.FileSystemException f
        && f.getReason() != null
        && f.getReason().toLowerCase(java.util.Locale.ROOT).contains("directory")) {
      return "is a directory: " + f.getFile();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  public static void main(String[] args) {
    LocalLogging.configure(args);
    int exit = commandLine().execute(args);
    // Some libraries (DynamoDB Local) may leave non-daemon threads; the command is finished.
    System.exit(exit);
  }
}
