package uk.familylink.domain.pseudonym;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.language.DoubleMetaphone;

/**
 * Variants of a normalised name (upper-case letters only) that the same person is written under:
 * the nickname group (a general table of common English given names and their short forms, not
 * drawn from any one data set) and Double Metaphone codes (primary and alternate). Only their keyed
 * tokens are ever stored.
 */
public final class NameVariants {

  private static final List<List<String>> GROUPS =
      List.of(
          List.of("WILLIAM", "BILL", "BILLY", "WILL", "WILLIE", "LIAM"),
          List.of("ROBERT", "BOB", "BOBBY", "ROB", "ROBBIE", "BERT"),
          List.of("RICHARD", "DICK", "RICH", "RICHIE", "RICKY", "RICK"),
          List.of("JAMES", "JIM", "JIMMY", "JAMIE", "JIMMIE"),
          List.of("JOHN", "JACK", "JOHNNY", "JON"),
          List.of("THOMAS", "TOM", "TOMMY"),
          List.of("JOSEPH", "JOE", "JOEY"),
          List.of("DANIEL", "DAN", "DANNY"),
          List.of("SAMUEL", "SAM", "SAMMY"),
          List.of("SAMANTHA", "SAM", "SAMMIE"),
          List.of("ALEXANDER", "ALEX", "SANDY", "ALEC", "XANDER"),
          List.of("ALEXANDRA", "ALEX", "LEXI", "SANDRA"),
          List.of("EDWARD", "ED", "EDDIE", "TED", "TEDDY", "NED"),
          List.of("JOSHUA", "JOSH"),
          List.of("JACOB", "JAKE"),
          List.of("HENRY", "HARRY", "HAL", "HANK"),
          List.of("OLIVER", "OLLIE", "OLLY"),
          List.of("CHARLES", "CHARLIE", "CHAZ", "CHUCK", "CHAS"),
          List.of("FREDERICK", "FRED", "FREDDIE", "FREDDY"),
          List.of("ALFRED", "ALF", "ALFIE"),
          List.of("ARCHIBALD", "ARCHIE"),
          List.of("LUCAS", "LUKE", "LUCA"),
          List.of("ISABELLA", "ISABEL", "BELLA", "IZZY", "ISSY"),
          List.of("ELIZABETH", "LIZ", "LIZZIE", "BETH", "BETTY", "ELIZA", "LIBBY"),
          List.of("OLIVIA", "LIV", "LIVVY", "LIVIA"),
          List.of("AMELIA", "MILLIE", "AMY", "MILLY"),
          List.of("JESSICA", "JESS", "JESSIE"),
          List.of("MARGARET", "MAGGIE", "MEG", "PEGGY", "MAG"),
          List.of("MEGAN", "MEG"),
          List.of("EMILY", "EM", "EMMY", "EMMIE"),
          List.of("EMMA", "EM", "EMMY"),
          List.of("EVELYN", "EVIE", "EVE"),
          List.of("SOPHIA", "SOPHIE", "SOPH"),
          List.of("GWENDOLYN", "GWEN"),
          List.of("ELEANOR", "ELLIE", "ELLA", "NELL", "NELLY"),
          List.of("MOHAMMED", "MUHAMMAD", "MOHAMMAD", "MOHAMED", "MO"),
          List.of("MAXWELL", "MAX", "MAXIMILIAN"),
          List.of("ISAAC", "IKE", "ZAC"),
          List.of("CATHERINE", "KATHERINE", "KATE", "KATIE", "CATH", "KATH", "KAT", "KITTY"),
          List.of("CHRISTOPHER", "CHRIS", "KIT"),
          List.of("CHRISTINE", "CHRIS", "CHRISSY", "TINA"),
          List.of("MICHAEL", "MIKE", "MICK", "MICKY", "MIKEY"),
          List.of("MATTHEW", "MATT", "MATTY"),
          List.of("ANTHONY", "TONY", "ANT"),
          List.of("ANDREW", "ANDY", "DREW"),
          List.of("STEPHEN", "STEVEN", "STEVE", "STEVIE"),
          List.of("PETER", "PETE"),
          List.of("DAVID", "DAVE", "DAVY"),
          List.of("NICHOLAS", "NICK", "NICKY", "NICO"),
          List.of("BENJAMIN", "BEN", "BENNY", "BENJI"),
          List.of("TIMOTHY", "TIM", "TIMMY"),
          List.of("PATRICK", "PAT", "PADDY"),
          List.of("PATRICIA", "PAT", "PATTY", "TRISH", "TRICIA"),
          List.of("SUSAN", "SUE", "SUSIE", "SUZY"),
          List.of("DEBORAH", "DEBBIE", "DEB", "DEBRA"),
          List.of("REBECCA", "BECKY", "BECCA", "BEX"),
          List.of("VICTORIA", "VICKY", "VICKI", "TORI"),
          List.of("JENNIFER", "JENNY", "JEN"),
          List.of("ABIGAIL", "ABBY", "ABBIE", "GAIL"),
          List.of("NATHAN", "NATHANIEL", "NATE", "NAT"),
          List.of("GEORGE", "GEORGIE"),
          List.of("GEORGINA", "GEORGIE", "GINA"),
          List.of("FRANCIS", "FRANK", "FRANKIE"),
          List.of("FRANCES", "FRAN", "FRANKIE"),
          List.of("LEONARD", "LEO", "LEN", "LENNY"),
          List.of("RONALD", "RON", "RONNIE"),
          List.of("DONALD", "DON", "DONNIE"),
          List.of("GERALD", "GERRY", "JERRY"),
          List.of("KENNETH", "KEN", "KENNY"),
          List.of("RAYMOND", "RAY"),
          List.of("ZACHARY", "ZACH", "ZAC", "ZAK"));

  private static final Map<String, List<String>> GROUPS_OF = new HashMap<>();

  static {
    for (List<String> group : GROUPS) {
      for (String name : group) {
        GROUPS_OF.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(group.get(0));
      }
    }
  }

  private final DoubleMetaphone metaphone = new DoubleMetaphone();

  /** The nickname groups a given name belongs to (each named by its formal name); may be empty. */
  public static List<String> nicknameGroups(String name) {
    return GROUPS_OF.getOrDefault(name, List.of());
  }

  /** Double Metaphone primary code (at most 4 characters), or the name itself if it has none. */
  public String phonetic(String name) {
    String code = metaphone.doubleMetaphone(name);
    return code == null || code.isEmpty() ? name : code;
  }

  /** Double Metaphone alternate code, or the primary when there is none. */
  public String phoneticAlternate(String name) {
    String code = metaphone.doubleMetaphone(name, true);
    return code == null || code.isEmpty() ? phonetic(name) : code;
  }
}
