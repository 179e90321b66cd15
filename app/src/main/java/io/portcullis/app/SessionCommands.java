package io.portcullis.app;

import io.portcullis.contracts.ApiException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's {@code session} subcommands: the hijacked sessions (attach, exec...) open on the
 * cluster's edges. They live in the running nodes' memory, not in the state directory, so these always
 * go to an admin API.
 *
 * <pre>
 *   session list [--json]       --admin https://HOST:2377 --cert-path DIR
 *   session end ID              the client sees its stream end
 * </pre>
 */
final class SessionCommands {
  private final PrintStream out;

  SessionCommands(PrintStream out) {
    this.out = out;
  }

  static boolean handles(String command) {
    return command.equals("session");
  }

  int run(List<String> given) throws Exception {
    List<String> args = new ArrayList<>(given.subList(1, given.size()));
    AdminOptions options = AdminOptions.take(args);
    if (!options.remote()) {
      out.println("portcullis: sessions live in the running gateways, not in the state directory: "
          + "give --admin https://HOST:2377 --cert-path DIR (an admin bundle)");
      return 2;
    }
    String verb = args.isEmpty() ? "" : args.get(0);
    if (!verb.equals("list") && !(verb.equals("end") && args.size() == 2)) {
      out.println("portcullis: session list | session end ID");
      return 2;
    }
    try (AdminApi api = options.connect()) {
      JsonObject answer = verb.equals("list")
          ? api.call(HttpMethod.GET, "/admin/sessions", null)
          : api.call(HttpMethod.DELETE, "/admin/sessions/" + AdminApi.encode(args.get(1)), null);
      if (options.json()) {
        out.println(answer.encodePrettily());
      } else if (verb.equals("list")) {
        table(answer).print(out);
      } else {
        out.println("portcullis: session " + args.get(1) + " ended");
      }
      return 0;
    } catch (ApiException e) {
      out.println("portcullis: " + e.getMessage());
      return 1;
    }
  }

  static Table table(JsonObject answer) {
    Table table = new Table("ID", "NODE", "TENANT", "ENDPOINT", "OBJECT", "OPENED", "BYTES IN", "BYTES OUT");
    answer.getJsonArray("sessions").forEach(o -> {
      JsonObject s = (JsonObject) o;
      table.row(s.getString("id"), s.getString("node"), s.getString("tenant"), s.getString("endpoint"), s.getString("objectId"),
          s.getString("openedAt"), s.getLong("clientToBackendBytes"), s.getLong("backendToClientBytes"));
    });
    return table;
  }
}
