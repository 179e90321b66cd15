package io.portcullis.app;

import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendTls;
import java.nio.file.Files;
import io.portcullis.registry.HostStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's host subcommands of the jar. Like the onboarding ones they work on the state
 * directory ({@code hosts.json}); a running gateway picks their changes up within
 * {@code registry.reloadIntervalMs}, checks a new host's health at once and publishes the change.
 * With {@code --admin https://HOST:2377 --cert-path DIR} (an admin bundle) they go to a running
 * gateway's admin API instead, and {@code host list} shows each host's health.
 *
 * <pre>
 *   host add NAME URI [--label KEY=VALUE]... [--capacity N]   register or update a backend host
 *            [--tls-ca FILE --tls-cert FILE --tls-key FILE]    reached over mutual TLS (dockerd --tlsverify)
 *   host drain NAME | host undrain NAME                      stop / resume new placements on it
 *   host remove NAME                                         forget it
 *   host list [--json]                                       the stored hosts (with --admin: all, with health)
 * </pre>
 */
final class HostCommands {
  private final Path stateDir;
  private final PrintStream out;
  private boolean json;

  HostCommands(Path stateDir, PrintStream out) {
    this.stateDir = stateDir;
    this.out = out;
  }

  static boolean handles(String command) {
    return command.equals("host");
  }

  /** Runs {@code host ...}; returns the process exit code. */
  int run(List<String> given) throws Exception {
    List<String> args = new java.util.ArrayList<>(given);
    AdminOptions options;
    try {
      options = AdminOptions.take(args);
    } catch (IllegalArgumentException e) {
      out.println("portcullis: " + e.getMessage());
      return 2;
    }
    json = options.json();
    try (HostTarget target = options.remote() ? new AdminApiHosts(options.connect()) : HostTarget.of(new HostStore(stateDir))) {
      return run(args, target);
    }
  }

  private int run(List<String> args, HostTarget store) throws Exception {
    if (args.size() < 2) {
      out.println("portcullis: host add|drain|undrain|remove|list (try --help)");
      return 2;
    }
    String verb = args.get(1);
    List<String> rest = args.subList(2, args.size());
    switch (verb) {
      case "add": {
        if (rest.size() < 2) {
          out.println("portcullis: host add NAME URI [--label KEY=VALUE]... [--capacity N] [--tls-ca FILE --tls-cert FILE --tls-key FILE]");
          return 2;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> tlsFiles = new LinkedHashMap<>();
        int capacity = 0;
        for (int i = 2; i < rest.size(); i++) {
          if (rest.get(i).equals("--label") && i + 1 < rest.size()) {
            String[] kv = rest.get(++i).split("=", 2);
            if (kv.length != 2 || kv[0].isEmpty()) {
              out.println("portcullis: --label needs KEY=VALUE, got " + rest.get(i));
              return 2;
            }
            labels.put(kv[0], kv[1]);
          } else if (rest.get(i).equals("--capacity") && i + 1 < rest.size()) {
            capacity = Integer.parseInt(rest.get(++i));
          } else if (rest.get(i).startsWith("--tls-") && i + 1 < rest.size()) {
            tlsFiles.put(rest.get(i).substring("--tls-".length()), rest.get(++i));
          } else {
            out.println("portcullis: unknown option " + rest.get(i));
            return 2;
          }
        }
        BackendTls tls = null;
        if (!tlsFiles.isEmpty()) {
          if (!tlsFiles.keySet().equals(java.util.Set.of("ca", "cert", "key"))) {
            out.println("portcullis: a host reached over TLS needs all of --tls-ca, --tls-cert and --tls-key");
            return 2;
          }
          tls = new BackendTls(Files.readString(Path.of(tlsFiles.get("ca"))), Files.readString(Path.of(tlsFiles.get("cert"))),
              Files.readString(Path.of(tlsFiles.get("key"))));
        }
        BackendHost host = store.put(new BackendHost(rest.get(0), rest.get(1), BackendHost.HostState.UNKNOWN, labels, capacity, false, tls));
        out.println("portcullis: host " + host.name() + " (" + host.uri() + ") registered; a running gateway checks it within seconds");
        return 0;
      }
      case "drain":
      case "undrain": {
        if (rest.size() != 1) {
          out.println("portcullis: host " + verb + " NAME");
          return 2;
        }
        BackendHost host = store.drain(rest.get(0), verb.equals("drain"));
        if (host == null) {
          out.println("portcullis: no stored host named " + rest.get(0) + " (hosts from the configuration file are changed there)");
          return 1;
        }
        out.println("portcullis: host " + host.name() + (host.draining() ? " is draining: no new placements" : " takes placements again"));
        return 0;
      }
      case "remove": {
        if (rest.size() != 1) {
          out.println("portcullis: host remove NAME");
          return 2;
        }
        if (!store.remove(rest.get(0))) {
          out.println("portcullis: no stored host named " + rest.get(0));
          return 1;
        }
        out.println("portcullis: host " + rest.get(0) + " removed");
        return 0;
      }
      case "list": {
        if (json) {
          out.println(store.listAsJson().encodePrettily());
          return 0;
        }
        List<BackendHost> hosts = store.list();
        out.printf("%-20s %-40s %-8s %-4s %-9s %-8s %s%n", "NAME", "URI", "STATE", "TLS", "CAPACITY", "DRAINING", "LABELS");
        for (BackendHost h : hosts) {
          out.printf("%-20s %-40s %-8s %-4s %-9s %-8s %s%n", h.name(), h.uri(), store.live() ? h.state().wireName() : "-",
              h.tls() == null ? (store.live() ? "-" : "no") : "yes",
              h.capacity() == 0 ? "-" : h.capacity(), h.draining() ? "yes" : "no", h.labels());
        }
        return 0;
      }
      default:
        out.println("portcullis: unknown host command " + verb + " (add, drain, undrain, remove, list)");
        return 2;
    }
  }
}
