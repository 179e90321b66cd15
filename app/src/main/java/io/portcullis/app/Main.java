package io.portcullis.app;

import io.portcullis.contracts.BackendHost;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar portcullis.jar [--config FILE]}: starts one gateway node and prints the
 * {@code docker -H ...} line to use it. Exits 1 with one line naming the problem when the
 * configuration is invalid or the node cannot start.
 */
public final class Main {
  /** Held so the level set on it is not lost when the logger is collected. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    HAZELCAST_LOG.setLevel(Level.WARNING);
    String configFile = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = args[++i];
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println("usage: java -jar portcullis.jar [--config FILE]   (see README for the environment variables)");
        return;
      } else {
        System.err.println("portcullis: unknown argument " + args[i] + " (try --help)");
        System.exit(2);
      }
    }
    JsonObject config;
    Vertx bootstrap = Vertx.vertx();
    try {
      config = ConfigLoader.load(bootstrap, configFile, System.getenv()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("portcullis: " + rootMessage(e));
      System.exit(1);
      return;
    } finally {
      bootstrap.close();
    }
    PortcullisNode node;
    try {
      node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("portcullis: cannot start: " + rootMessage(e));
      if (System.getenv("PORTCULLIS_DEBUG") != null) {
        e.printStackTrace();
      }
      System.exit(1);
      return;
    }
    for (BackendHost host : node.hosts()) {
      if (host.state() == BackendHost.HostState.DOWN) {
        System.out.println("portcullis: backend host " + host.name() + " (" + host.uri()
            + ") is not reachable; calls will get 503 until it answers");
      } else {
        System.out.println("portcullis: backend host " + host.name() + " (" + host.uri() + ") is " + host.state().wireName());
      }
    }
    JsonObject edge = config.getJsonObject("edge");
    System.out.println("portcullis: listening; use it with: docker -H tcp://" + edge.getString("host") + ":" + edge.getInteger("port") + " ps");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
      stopped.countDown();
    }, "portcullis-shutdown"));
    stopped.await();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
