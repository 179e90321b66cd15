package io.portcullis.app;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the configuration with vertx-config, each layer overriding the one before: the defaults
 * shipped in the jar (conf/portcullis.json), an optional file ({@code --config FILE} or
 * {@code PORTCULLIS_CONFIG}), then the environment variables of {@link EnvOverrides}; the result is
 * checked by {@link ConfigValidator} before anything reads it, so every command (not only {@code run})
 * refuses a mistyped key rather than acting on a default, e.g. a state directory it did not mean.
 */
final class ConfigLoader {
  private ConfigLoader() {}

  static Future<JsonObject> load(Vertx vertx, String configFile, Map<String, String> env) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(-1)
        .addStore(new ConfigStoreOptions().setType("json").setConfig(defaults()));
    String file = configFile != null ? configFile : env.get("PORTCULLIS_CONFIG");
    if (file != null && !file.isBlank()) {
      if (!Files.isReadable(Path.of(file))) {
        return Future.failedFuture(new IllegalArgumentException("configuration file " + file + " is not readable"));
      }
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
          .setConfig(new JsonObject().put("path", file)));
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .recover(err -> Future.failedFuture(new InvalidConfigurationException("configuration file " + file + " is not valid JSON: "
            + parseError(err))))
        .map(config -> {
          // Checked before the variables are applied too: they write into sections the file might
          // have given another shape, and an error in the file should not be blamed on a variable.
          ConfigValidator.validate(config);
          Map<String, String> origins = new java.util.HashMap<>();
          EnvOverrides.apply(config, env, origins);
          ConfigValidator.validate(config, origins);
          return config;
        })
        .eventually(retriever::close);
  }

  /** Jackson's own words and where, without the parser's internals ("[Source: REDACTED ..."). */
  private static String parseError(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof com.fasterxml.jackson.core.JsonProcessingException json && json.getLocation() != null) {
      String what = json.getOriginalMessage();
      int detail = what.indexOf(" (");
      return (detail > 0 ? what.substring(0, detail) : what) + " at line " + json.getLocation().getLineNr()
          + ", column " + json.getLocation().getColumnNr();
    }
    return String.valueOf(t.getMessage()).lines().findFirst().orElse(t.toString());
  }

  static JsonObject defaults() {
    try (var in = ConfigLoader.class.getResourceAsStream("/portcullis.json")) {
      if (in == null) {
        throw new IllegalStateException("portcullis.json is missing from the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the default configuration", e);
    }
  }
}
