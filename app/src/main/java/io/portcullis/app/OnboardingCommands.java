package io.portcullis.app;

import io.portcullis.auth.Onboarding;
import io.portcullis.auth.TenantAdmin;
import io.portcullis.contracts.ApiException;
import io.vertx.core.json.JsonObject;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's onboarding subcommands of the jar. They work on the state directory directly; a
 * running gateway picks their changes up within {@code auth.reloadIntervalMs}.
 *
 * <pre>
 *   init [--name DNS]... [--ip IP]...             create the CA and the server certificate
 *   server-cert [--name DNS]... [--ip IP]...      re-issue the server certificate for other names
 *   tenant add NAME [--out DIR] [--admin] [--key-type ec|rsa|ed25519]   (no --out: register only, for a CSR)
 *   tenant list
 *   tenant remove NAME                            every certificate naming it is refused from then on
 *   key add TENANT FILE [--comment TEXT]          register a public key (PEM or OpenSSH line)
 *   key remove TENANT FINGERPRINT | key list TENANT
 *   sign-csr --tenant NAME --csr FILE --out FILE [--admin]
 *   revoke SERIAL                                 refuse one certificate (serial in hex)
 * </pre>
 *
 * {@code tenant}, {@code key} and {@code revoke} also take {@code --admin https://HOST:2377 --cert-path DIR}
 * (an admin bundle) to act through a running gateway's admin API, and {@code --json} for the raw answer.
 * A bare {@code --admin} is the admin role, as before.
 */
final class OnboardingCommands {
  private final Onboarding onboarding;
  private final Path stateDir;
  private final PrintStream out;
  private boolean json;

  OnboardingCommands(Path stateDir, PrintStream out) {
    this.onboarding = new Onboarding(stateDir);
    this.stateDir = stateDir;
    this.out = out;
  }

  static boolean handles(String command) {
    return List.of("init", "server-cert", "tenant", "key", "sign-csr", "revoke").contains(command);
  }

  /** Runs one subcommand; returns the process exit code. */
  int run(List<String> args) throws Exception {
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    switch (command) {
      case "init":
        if (onboarding.initialised()) {
          out.println("portcullis: already initialised in " + stateDir + " (use server-cert to re-issue the server certificate)");
          return 1;
        }
        onboarding.init(values(rest, "--name", List.of("localhost")), values(rest, "--ip", List.of("127.0.0.1")));
        out.println("portcullis: CA and server certificate created in " + stateDir);
        return 0;
      case "server-cert":
        onboarding.reissueServerCertificate(values(rest, "--name", List.of("localhost")), values(rest, "--ip", List.of("127.0.0.1")));
        out.println("portcullis: server certificate re-issued in " + Onboarding.serverCertificatePath(stateDir) + " (restart the gateway to present it)");
        return 0;
      case "tenant":
      case "key":
      case "revoke":
        return questions(command, rest);
      case "sign-csr": {
        String tenant = required(rest, "--tenant");
        String csr = Files.readString(Path.of(required(rest, "--csr")));
        Path certOut = Path.of(required(rest, "--out"));
        String serial = onboarding.signRequest(csr, tenant, rest.contains("--admin") ? Role.ADMIN : Role.TENANT, certOut);
        out.println("portcullis: signed " + certOut + " for tenant " + tenant + " (serial " + serial + "); CA certificate: " + onboarding.caCertificatePath());
        return 0;
      }
      default:
        throw new IllegalArgumentException("unknown command " + command);
    }
  }

  /**
   * The {@code tenant}, {@code key} and {@code revoke} subcommands: on the state directory, or with
   * {@code --admin URL --cert-path DIR} through a running gateway's admin API; {@code --json} prints the
   * answer as it came instead of a table or a sentence.
   */
  private int questions(String command, List<String> given) throws Exception {
    List<String> args = new ArrayList<>(given);
    AdminOptions options = AdminOptions.take(args);
    json = options.json();
    if (!options.remote() && command.equals("tenant") && !args.isEmpty() && args.get(0).equals("add")) {
      return addTenantHere(args);
    }
    try (TenantQuestions target = options.remote() ? TenantQuestions.of(options.connect())
        : TenantQuestions.of(new TenantAdmin(onboarding))) {
      switch (command) {
        case "tenant":
          return tenant(args, target);
        case "key":
          return key(args, target);
        default:
          if (args.isEmpty()) {
            throw new IllegalArgumentException("usage: revoke SERIAL");
          }
          return print(target.revoke(args.get(0)), a -> out.println("portcullis: certificate " + a.getString("revoked") + " revoked"));
      }
    } catch (ApiException e) {
      out.println("portcullis: " + e.getMessage());
      return 1;
    }
  }

  /** Prints the answer: raw with {@code --json}, else as {@code human} says. Exit code 0. */
  private int print(JsonObject answer, java.util.function.Consumer<JsonObject> human) {
    if (json) {
      out.println(answer.encodePrettily());
    } else {
      human.accept(answer);
    }
    return 0;
  }

  private int key(List<String> args, TenantQuestions target) throws Exception {
    if (args.size() < 2) {
      throw new IllegalArgumentException("usage: key add TENANT FILE [--comment TEXT] | key remove TENANT FINGERPRINT | key list TENANT");
    }
    String tenant = args.get(1);
    switch (args.get(0)) {
      case "add": {
        if (args.size() < 3) {
          throw new IllegalArgumentException("usage: key add TENANT FILE [--comment TEXT]");
        }
        JsonObject added = target.addKey(tenant, Files.readString(Path.of(args.get(2))), values(args, "--comment", List.of("")).get(0));
        return print(added, a -> out.println("portcullis: key " + a.getString("fingerprint") + " registered for tenant " + tenant
            + "; a certificate with this key, even self-signed, now identifies " + tenant));
      }
      case "remove": {
        if (args.size() < 3) {
          throw new IllegalArgumentException("usage: key remove TENANT FINGERPRINT");
        }
        return print(target.removeKey(tenant, args.get(2)), a -> out.println("portcullis: key removed from tenant " + tenant));
      }
      case "list":
        return print(target.keys(tenant), a -> {
          Table table = new Table("FINGERPRINT (SHA-256)", "ADDED", "COMMENT");
          a.getJsonArray("keys").forEach(k -> {
            JsonObject key = (JsonObject) k;
            table.row(key.getString("fingerprint"), key.getString("added"), key.getString("comment"));
          });
          table.print(out);
        });
      default:
        throw new IllegalArgumentException("unknown key command " + args.get(0) + " (add, remove, list)");
    }
  }

  private int tenant(List<String> args, TenantQuestions target) throws Exception {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("usage: tenant add|list|remove ...");
    }
    switch (args.get(0)) {
      case "add":
        return addTenantThere(args, target);
      case "list":
        return print(target.list(), a -> {
          Table table = new Table("TENANT", "ROLE", "KEYS", "CREATED", "SERIALS", "REVOKED");
          a.getJsonArray("tenants").forEach(t -> {
            JsonObject tenant = (JsonObject) t;
            table.row(tenant.getString("name"), tenant.getString("role"), tenant.getInteger("keys"), tenant.getString("created"),
                String.join(",", tenant.getJsonArray("serials").getList()), String.join(",", tenant.getJsonArray("revoked").getList()));
          });
          table.print(out);
        });
      case "remove":
        if (args.size() < 2) {
          throw new IllegalArgumentException("usage: tenant remove NAME");
        }
        return print(target.remove(args.get(1)), a -> out.println("portcullis: tenant " + args.get(1) + " removed"));
      default:
        throw new IllegalArgumentException("unknown tenant command " + args.get(0) + " (add, list, remove)");
    }
  }

  private static void requireAddArguments(List<String> args) {
    if (args.size() < 2) {
      throw new IllegalArgumentException("usage: tenant add NAME [--out DIR] [--admin] [--key-type ec|rsa|ed25519]");
    }
  }

  /**
   * {@code tenant add} on the state directory: a known tenant gets a new bundle (another certificate),
   * and without {@code --out} the tenant is only registered, for a CSR.
   */
  private int addTenantHere(List<String> args) throws Exception {
    requireAddArguments(args);
    String name = args.get(1);
    Role role = args.contains("--admin") ? Role.ADMIN : Role.TENANT;
    if (values(args, "--out", List.of()).isEmpty()) {
      onboarding.registerTenant(name, role);
      out.println("portcullis: tenant " + name + " registered; sign its CSR with: sign-csr --tenant " + name + " --csr FILE --out FILE");
      return 0;
    }
    Path dir = Path.of(required(args, "--out"));
    KeyType keyType = KeyType.parse(values(args, "--key-type", List.of("ec")).get(0));
    String serial = onboarding.addTenant(name, role, dir, keyType);
    out.println("portcullis: tenant " + name + ": client bundle written to " + dir + " (certificate serial " + serial + ")");
    out.println("  use it with: DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=" + dir.toAbsolutePath() + " docker -H tcp://HOST:2376 ps");
    return 0;
  }

  /**
   * {@code tenant add} through the admin API: a new tenant only (409 for a known one), and the bundle,
   * whose key was made on the node, is written to {@code --out} and never printed, not even with --json.
   */
  private int addTenantThere(List<String> args, TenantQuestions target) throws Exception {
    requireAddArguments(args);
    String name = args.get(1);
    if (values(args, "--out", List.of()).isEmpty()) {
      throw new IllegalArgumentException("with --admin, tenant add needs --out DIR for the bundle the gateway issues");
    }
    Path dir = Path.of(required(args, "--out"));
    JsonObject added = target.add(name, args.contains("--admin") ? "admin" : "tenant", values(args, "--key-type", List.of("ec")).get(0));
    JsonObject bundle = (JsonObject) added.remove("bundle");
    Onboarding.writeBundle(new Onboarding.ClientBundle(bundle.getString("ca.pem"), bundle.getString("cert.pem"), bundle.getString("key.pem"),
        added.getString("serial")), dir);
    return print(added.put("bundleDir", dir.toAbsolutePath().toString()), a -> {
      out.println("portcullis: tenant " + name + ": client bundle written to " + dir + " (certificate serial " + a.getString("serial") + ")");
      out.println("  use it with: DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=" + dir.toAbsolutePath() + " docker -H tcp://HOST:2376 ps");
    });
  }

  private static String required(List<String> args, String flag) {
    List<String> v = values(args, flag, List.of());
    if (v.isEmpty()) {
      throw new IllegalArgumentException(flag + " is required");
    }
    return v.get(0);
  }

  private static List<String> values(List<String> args, String flag, List<String> defaults) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < args.size() - 1; i++) {
      if (args.get(i).equals(flag)) {
        found.add(args.get(i + 1));
      }
    }
    return found.isEmpty() ? defaults : found;
  }
}
