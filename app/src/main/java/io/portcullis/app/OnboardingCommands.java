package io.portcullis.app;

import io.portcullis.auth.Onboarding;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import io.portcullis.auth.store.TenantStore.TenantRecord;
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
 */
final class OnboardingCommands {
  private final Onboarding onboarding;
  private final Path stateDir;
  private final PrintStream out;

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
        return tenant(rest);
      case "key":
        return key(rest);
      case "sign-csr": {
        String tenant = required(rest, "--tenant");
        String csr = Files.readString(Path.of(required(rest, "--csr")));
        Path certOut = Path.of(required(rest, "--out"));
        String serial = onboarding.signRequest(csr, tenant, rest.contains("--admin") ? Role.ADMIN : Role.TENANT, certOut);
        out.println("portcullis: signed " + certOut + " for tenant " + tenant + " (serial " + serial + "); CA certificate: " + onboarding.caCertificatePath());
        return 0;
      }
      case "revoke":
        if (rest.isEmpty()) {
          throw new IllegalArgumentException("usage: revoke SERIAL");
        }
        onboarding.revokeSerial(rest.get(0));
        out.println("portcullis: certificate " + rest.get(0) + " revoked");
        return 0;
      default:
        throw new IllegalArgumentException("unknown command " + command);
    }
  }

  private int key(List<String> args) throws Exception {
    if (args.size() < 2) {
      throw new IllegalArgumentException("usage: key add TENANT FILE [--comment TEXT] | key remove TENANT FINGERPRINT | key list TENANT");
    }
    String tenant = args.get(1);
    switch (args.get(0)) {
      case "add": {
        if (args.size() < 3) {
          throw new IllegalArgumentException("usage: key add TENANT FILE [--comment TEXT]");
        }
        String fingerprint = onboarding.addKey(tenant, Files.readString(Path.of(args.get(2))), values(args, "--comment", List.of("")).get(0));
        out.println("portcullis: key " + fingerprint + " registered for tenant " + tenant
            + "; a certificate with this key, even self-signed, now identifies " + tenant);
        return 0;
      }
      case "remove": {
        if (args.size() < 3) {
          throw new IllegalArgumentException("usage: key remove TENANT FINGERPRINT");
        }
        boolean removed = onboarding.removeKey(tenant, args.get(2));
        out.println(removed ? "portcullis: key removed from tenant " + tenant : "portcullis: no such key for tenant " + tenant + " (give at least 8 hex digits)");
        return removed ? 0 : 1;
      }
      case "list": {
        TenantRecord record = onboarding.tenants().get(tenant);
        if (record == null) {
          throw new IllegalArgumentException("tenant " + tenant + " is not registered");
        }
        out.printf("%-64s %-24s %s%n", "FINGERPRINT (SHA-256)", "ADDED", "COMMENT");
        record.keys().forEach(k -> out.printf("%-64s %-24s %s%n", k.fingerprint(), k.added(), k.comment()));
        return 0;
      }
      default:
        throw new IllegalArgumentException("unknown key command " + args.get(0) + " (add, remove, list)");
    }
  }

  private int tenant(List<String> args) throws Exception {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("usage: tenant add|list|remove ...");
    }
    switch (args.get(0)) {
      case "add": {
        if (args.size() < 2) {
          throw new IllegalArgumentException("usage: tenant add NAME [--out DIR] [--admin] [--key-type ec|rsa|ed25519]");
        }
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
      case "list":
        out.printf("%-32s %-8s %-5s %s%n", "TENANT", "ROLE", "KEYS", "CREATED");
        for (TenantRecord t : onboarding.tenants().values()) {
          out.printf("%-32s %-8s %-5d %s%n", t.name(), t.role(), t.keys().size(), t.created());
        }
        return 0;
      case "remove":
        if (args.size() < 2) {
          throw new IllegalArgumentException("usage: tenant remove NAME");
        }
        boolean removed = onboarding.removeTenant(args.get(1));
        out.println(removed ? "portcullis: tenant " + args.get(1) + " removed" : "portcullis: no tenant " + args.get(1));
        return removed ? 0 : 1;
      default:
        throw new IllegalArgumentException("unknown tenant command " + args.get(0) + " (add, list, remove)");
    }
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
