package io.portcullis.app;

import java.nio.file.Path;
import java.util.List;

/**
 * The options every operator command shares: {@code --admin URL --cert-path DIR} (go to a running
 * gateway's admin API instead of the state directory) and {@code --json} (print the raw JSON answer
 * instead of a table or a sentence).
 */
record AdminOptions(String url, Path certPath, boolean json) {

  /** Takes the shared options out of {@code args} (a mutable list), leaving the command's own. */
  static AdminOptions take(List<String> args) {
    String url = url(args);
    String certPath = value(args, "--cert-path");
    boolean json = args.remove("--json");
    if (url != null && certPath == null) {
      throw new IllegalArgumentException("--admin needs --cert-path DIR (an admin bundle: ca.pem, cert.pem, key.pem)");
    }
    return new AdminOptions(url, certPath == null ? null : Path.of(certPath), json);
  }

  boolean remote() {
    return url != null;
  }

  AdminApi connect() {
    return new AdminApi(url, certPath);
  }

  /**
   * Removes {@code --admin URL} and returns URL (null when absent). A bare {@code --admin} (followed by
   * no URL) is left in place: for {@code tenant add} and {@code sign-csr} it means the admin role, so an
   * admin is added remotely with {@code tenant add ops --admin --admin https://HOST:2377 ...}.
   */
  private static String url(List<String> args) {
    for (int i = 0; i < args.size() - 1; i++) {
      if (args.get(i).equals("--admin") && args.get(i + 1).contains("://")) {
        String url = args.get(i + 1);
        args.subList(i, i + 2).clear();
        return url;
      }
    }
    return null;
  }

  /** Removes {@code --name VALUE} from the arguments and returns VALUE (null when absent). */
  private static String value(List<String> args, String name) {
    int i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.size()) {
      return null;
    }
    String value = args.get(i + 1);
    args.subList(i, i + 2).clear();
    return value;
  }
}
