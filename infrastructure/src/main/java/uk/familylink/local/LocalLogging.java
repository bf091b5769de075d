package uk.familylink.local;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Where the tool's logs go when it runs from the command line: the functions' JSON log lines to
 * {@code familylink.log} in the workspace, the terminal keeping results and progress only; {@code
 * --log-level LEVEL} (or {@code --verbose}, INFO) also shows them on stderr. Set before Log4j
 * starts (the first logger), from the raw arguments.
 */
final class LocalLogging {

  static final String CONFIG = "log4j2-cli.xml";
  private static final Set<String> LEVELS =
      Set.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE");

  private LocalLogging() {}

  static void configure(String[] args) {
    Path home = Path.of(".familylink");
    String console = "OFF";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--home") && i + 1 < args.length) {
        home = Path.of(args[i + 1]);
      } else if (a.startsWith("--home=")) {
        home = Path.of(a.substring("--home=".length()));
      } else if (a.equals("--verbose")) {
        console = "INFO";
      } else if (a.equals("--log-level") && i + 1 < args.length) {
        console = level(args[i + 1]);
      } else if (a.startsWith("--log-level=")) {
        console = level(a.substring("--log-level=".length()));
      }
    }
    System.setProperty("log4j2.configurationFile", CONFIG);
    System.setProperty("familylink.log.file", home.resolve("familylink.log").toString());
    System.setProperty("familylink.console.level", console);
    System.setProperty(
        "familylink.log.level",
        console.equals("DEBUG") || console.equals("TRACE") ? console : "INFO");
  }

  private static String level(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    return LEVELS.contains(upper) ? upper : "INFO";
  }
}
