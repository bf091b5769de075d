package uk.familylink.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = {
      "Empty the workspace: S3 objects, the DynamoDB database, the keyring and the log.",
      "Asks for confirmation unless --yes. Refused while serve (or another command) uses it.",
      "Exit status: 0 emptied (or nothing there), 1 not confirmed, 2 in use or not a folder."
    })
final class ResetCommand implements Callable<Integer> {

  @Option(
      names = "--home",
      defaultValue = ".familylink",
      description = "Workspace folder (default ${DEFAULT-VALUE}).")
  java.nio.file.Path home;

  @Option(names = "--yes", description = "Do not ask.")
  boolean yes;

  @Override
  public Integer call() throws IOException {
    if (!Files.exists(home)) {
      System.out.println("Nothing to reset: " + home + " does not exist.");
      return 0;
    }
    if (!yes) {
      System.out.print(
          "Delete everything in " + home.toAbsolutePath() + "? Type 'yes' to confirm: ");
      System.out.flush();
      String answer =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).equals("yes")) {
        System.out.println("Not reset.");
        return 1;
      }
    }
    Workspace.reset(home);
    System.out.println("Workspace " + home + " emptied.");
    return 0;
  }
}
