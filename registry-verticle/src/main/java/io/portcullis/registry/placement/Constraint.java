package io.portcullis.registry.placement;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One placement constraint, written the way Swarm wrote them:
 *
 * <pre>
 *   node.labels.disk==ssd      disk==ssd          a host label equals (or, with !=, differs from) a value
 *   node.hostname==h1          node.name==h1      the host name; Swarm classic's node==h1 too
 * </pre>
 *
 * <p>Matching follows Swarm: values compare case-insensitively, label keys exactly. A {@code *} in the
 * value matches any run of characters ({@code zone==eu-*}). A host without the label never satisfies
 * {@code ==} and always satisfies {@code !=}, so {@code gpu!=*} means "has no gpu label".
 *
 * @param label the label key, or {@link #HOST_NAME} when the constraint is on the host name
 * @param equal true for {@code ==}, false for {@code !=}
 * @param value the value, possibly with {@code *} wildcards
 */
public record Constraint(String label, boolean equal, String value) {

  /** The {@code label} of a constraint on the host name rather than on a label. */
  public static final String HOST_NAME = "node.hostname";

  private static final String LABEL_PREFIX = "node.labels.";
  // Keys as Docker label keys are usually written (reverse DNS, maybe a slash); values plain enough
  // that no operator character (= ! < > ~) can hide inside one.
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-/]*");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:/@+*\\- ]+");

  public Constraint {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(value, "value");
    if (label.isBlank() || value.isBlank()) {
      throw new IllegalArgumentException("a constraint needs a label and a value: " + label + (equal ? "==" : "!=") + value);
    }
  }

  /** Parses one expression; an invalid one fails with a message that quotes it. */
  public static Constraint parse(String expr) {
    if (expr == null) {
      throw new IllegalArgumentException("invalid placement constraint: null");
    }
    int eq = expr.indexOf("==");
    int ne = expr.indexOf("!=");
    if (eq < 0 && ne < 0) {
      throw invalid(expr, "expected KEY==VALUE or KEY!=VALUE");
    }
    // The first operator splits; a second one lands in the value, which refuses '=' and '!'.
    boolean equal = ne < 0 || (eq >= 0 && eq < ne);
    int at = equal ? eq : ne;
    String key = expr.substring(0, at).trim();
    String value = expr.substring(at + 2).trim();
    if (key.isEmpty()) {
      throw invalid(expr, "the key is missing");
    }
    if (value.isEmpty()) {
      throw invalid(expr, "the value is missing");
    }
    if (!VALUE.matcher(value).matches()) {
      throw invalid(expr, "the value may hold letters, digits, spaces, * and _.:/@+- only");
    }
    return new Constraint(label(expr, key), equal, value);
  }

  private static String label(String expr, String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.equals("node.hostname") || lower.equals("node.name") || lower.equals("node")) {
      return HOST_NAME;
    }
    String label = key;
    if (lower.startsWith(LABEL_PREFIX)) {
      label = key.substring(LABEL_PREFIX.length());
      if (label.equals(HOST_NAME)) {
        throw invalid(expr, "the label key " + HOST_NAME + " is reserved; write node.hostname==NAME to match the host name");
      }
    } else if (lower.startsWith("node.") || lower.startsWith("engine.")) {
      // node.role, node.id, engine.labels.x...: Swarm attributes this gateway does not have. Reading
      // them as plain labels would refuse every create with a misleading "no host satisfies".
      throw invalid(expr, key + " is not supported; use node.labels.KEY, node.hostname or node.name");
    }
    if (!KEY.matcher(label).matches()) {
      throw invalid(expr, "the label key " + (label.isEmpty() ? "is missing" : label + " is not a valid label key"));
    }
    return label;
  }

  private static IllegalArgumentException invalid(String expr, String why) {
    return new IllegalArgumentException("invalid placement constraint '" + expr + "': " + why);
  }

  public boolean isOnHostName() {
    return HOST_NAME.equals(label);
  }

  /** True when the host satisfies this constraint. */
  public boolean matches(HostLoad host) {
    String actual = isOnHostName() ? host.name() : host.labels().get(label);
    if (actual == null) {
      return !equal;
    }
    return glob(value.toLowerCase(Locale.ROOT), actual.toLowerCase(Locale.ROOT)) == equal;
  }

  /** The canonical expression, as refusal messages quote it: {@code node.labels.disk==ssd}. */
  public String expression() {
    return (isOnHostName() ? HOST_NAME : LABEL_PREFIX + label) + (equal ? "==" : "!=") + value;
  }

  /**
   * {@code *} matches any run of characters, everything else itself. On a mismatch after a star the
   * star swallows one more character and the match resumes, so there is no recursion and no regex.
   */
  static boolean glob(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = t;
      } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
