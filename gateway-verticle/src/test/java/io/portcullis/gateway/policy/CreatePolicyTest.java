package io.portcullis.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.contracts.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The create-time policy over container create bodies shaped as the docker CLI sends them. */
class CreatePolicyTest {
  private final CreatePolicy policy = new CreatePolicy(PolicyConfig.defaults());

  private static JsonObject withHostConfig(String hostConfigJson) {
    return new JsonObject().put("Image", "busybox:local").put("HostConfig", new JsonObject(hostConfigJson));
  }

  @ParameterizedTest(name = "{0} -> rule {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"Privileged\":true}                                                        | privileged        | HostConfig.Privileged",
      "{\"Binds\":[\"/:/host\"]}                                                    | host-bind-mounts  | HostConfig.Binds",
      "{\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock\"]}                  | host-bind-mounts  | HostConfig.Binds",
      "{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/h\"}]}        | host-bind-mounts  | HostConfig.Mounts",
      "{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/v\",\"VolumeOptions\":{\"DriverConfig\":{\"Options\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/etc\"}}}}]} | host-bind-mounts | HostConfig.Mounts",
      "{\"VolumesFrom\":[\"other\"]}                                                | volumes-from      | HostConfig.VolumesFrom",
      "{\"NetworkMode\":\"host\"}                                                   | host-namespaces   | HostConfig.NetworkMode",
      "{\"NetworkMode\":\"container:victim\"}                                       | host-namespaces   | HostConfig.NetworkMode",
      "{\"PidMode\":\"host\"}                                                       | host-namespaces   | HostConfig.PidMode",
      "{\"IpcMode\":\"host\"}                                                       | host-namespaces   | HostConfig.IpcMode",
      "{\"UTSMode\":\"host\"}                                                       | host-namespaces   | HostConfig.UTSMode",
      "{\"UsernsMode\":\"host\"}                                                    | host-namespaces   | HostConfig.UsernsMode",
      "{\"CapAdd\":[\"SYS_ADMIN\"]}                                                 | capabilities      | HostConfig.CapAdd",
      "{\"CapAdd\":[\"ALL\"]}                                                       | capabilities      | HostConfig.CapAdd",
      "{\"Devices\":[{\"PathOnHost\":\"/dev/sda\",\"PathInContainer\":\"/dev/sda\",\"CgroupPermissions\":\"rwm\"}]} | devices | HostConfig.Devices",
      "{\"DeviceRequests\":[{\"Count\":-1,\"Capabilities\":[[\"gpu\"]]}]}          | devices           | HostConfig.DeviceRequests",
      "{\"DeviceCgroupRules\":[\"c 1:3 rwm\"]}                                      | devices           | HostConfig.DeviceCgroupRules",
      "{\"SecurityOpt\":[\"seccomp=unconfined\"]}                                   | security-options  | HostConfig.SecurityOpt",
      "{\"SecurityOpt\":[\"apparmor:unconfined\"]}                                  | security-options  | HostConfig.SecurityOpt",
      "{\"SecurityOpt\":[\"label=disable\"]}                                        | security-options  | HostConfig.SecurityOpt",
      "{\"Sysctls\":{\"kernel.shmmax\":\"1\"}}                                      | sysctls           | HostConfig.Sysctls",
      "{\"CgroupParent\":\"/\"}                                                     | cgroup-parent     | HostConfig.CgroupParent",
      "{\"Runtime\":\"kata\"}                                                       | runtime           | HostConfig.Runtime",
      "{\"OomKillDisable\":true}                                                    | oom-kill-disable  | HostConfig.OomKillDisable",
      "{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"80\"}]}}      | host-ports        | HostConfig.PortBindings",
      "{\"PublishAllPorts\":true}                                                   | host-ports        | HostConfig.PublishAllPorts",
      "{\"LogConfig\":{\"Type\":\"syslog\",\"Config\":{}}}                          | log-drivers       | HostConfig.LogConfig.Type",
  })
  void escapingSettings_areRefusedNamingFieldAndRule(String hostConfig, String rule, String field) {
    assertThatThrownBy(() -> policy.checkContainerCreate("alice", withHostConfig(hostConfig)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("rule " + rule)
        .hasMessageContaining("field " + field);
  }

  @ParameterizedTest(name = "{0} is allowed")
  @CsvSource(delimiter = '|', value = {
      "{}",
      "{\"Binds\":null,\"Mounts\":null,\"CapAdd\":null,\"Devices\":[],\"NetworkMode\":\"none\",\"Privileged\":false}",
      "{\"Binds\":[\"data:/data\",\"cache:/cache:ro\"]}",
      "{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"data\",\"Target\":\"/data\"},{\"Type\":\"tmpfs\",\"Target\":\"/run\"}]}",
      "{\"CapAdd\":[\"NET_BIND_SERVICE\",\"CAP_CHOWN\"],\"CapDrop\":[\"ALL\"]}",
      "{\"NetworkMode\":\"default\",\"PidMode\":\"\",\"IpcMode\":\"private\"}",
      "{\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{}}}",
      "{\"SecurityOpt\":[\"no-new-privileges\"]}",
  })
  void ordinarySettings_areAllowed(String hostConfig) {
    assertThatCode(() -> policy.checkContainerCreate("alice", withHostConfig(hostConfig))).doesNotThrowAnyException();
  }

  @Test
  void aTenantExemptedFromARule_mayUseIt_othersMayNot() {
    PolicyConfig config = PolicyConfig.fromJson(new JsonObject().put("tenants",
        new JsonObject().put("trusted", new JsonObject().put("allow", new JsonArray().add("privileged")))));
    CreatePolicy exempting = new CreatePolicy(config);
    JsonObject privileged = withHostConfig("{\"Privileged\":true}");
    assertThatCode(() -> exempting.checkContainerCreate("trusted", privileged)).doesNotThrowAnyException();
    assertThatThrownBy(() -> exempting.checkContainerCreate("alice", privileged)).isInstanceOf(ApiException.class);
  }

  @Test
  void hostPortsInsideTheConfiguredRange_areAllowed_outsideRefused() {
    CreatePolicy ranged = new CreatePolicy(PolicyConfig.fromJson(new JsonObject().put("hostPortMin", 30000).put("hostPortMax", 30999)));
    assertThatCode(() -> ranged.checkContainerCreate("a",
        withHostConfig("{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"30080\"}]}}"))).doesNotThrowAnyException();
    assertThatThrownBy(() -> ranged.checkContainerCreate("a",
        withHostConfig("{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"31000\"}]}}"))).hasMessageContaining("30000-30999");
    assertThatThrownBy(() -> ranged.checkContainerCreate("a",
        withHostConfig("{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"\"}]}}"))).hasMessageContaining("(random)");
  }

  @Test
  void privilegedExec_isRefused() {
    assertThatThrownBy(() -> policy.checkExecCreate("a", new JsonObject().put("Privileged", true).put("Cmd", new JsonArray().add("sh"))))
        .hasMessageContaining("rule privileged");
    assertThatCode(() -> policy.checkExecCreate("a", new JsonObject().put("Cmd", new JsonArray().add("sh")))).doesNotThrowAnyException();
  }

  @Test
  void unknownRuleInATenantAllowance_stopsStartUpNamingTheKey() {
    assertThatThrownBy(() -> PolicyConfig.fromJson(new JsonObject().put("tenants",
        new JsonObject().put("t", new JsonObject().put("allow", new JsonArray().add("root-everything"))))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy.tenants.t.allow");
  }

  @Test
  void volumesBindingAHostPathOrDevice_areRefused_plainLocalVolumesAllowed() {
    JsonObject bindVolume = new JsonObject("{\"Name\":\"etc\",\"Driver\":\"local\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/etc\"}}");
    assertThatThrownBy(() -> policy.checkVolumeCreate("a", bindVolume)).hasMessageContaining("rule host-bind-mounts");
    JsonObject blockDevice = new JsonObject("{\"Name\":\"disk\",\"DriverOpts\":{\"type\":\"ext4\",\"device\":\"/dev/sda1\"}}");
    assertThatThrownBy(() -> policy.checkVolumeCreate("a", blockDevice)).hasMessageContaining("rule host-bind-mounts");
    assertThatThrownBy(() -> policy.checkVolumeCreate("a", new JsonObject().put("Driver", "sshfs"))).hasMessageContaining("sshfs");
    assertThatCode(() -> policy.checkVolumeCreate("a", new JsonObject("{\"Name\":\"data\",\"Driver\":\"local\",\"DriverOpts\":{}}")))
        .doesNotThrowAnyException();
    assertThatCode(() -> policy.checkVolumeCreate("a", new JsonObject("{\"Name\":\"t\",\"DriverOpts\":{\"type\":\"tmpfs\",\"o\":\"size=10m\"}}")))
        .doesNotThrowAnyException();
  }

  @org.junit.jupiter.api.Test
  void execUser_isRefusedOnlyWhenRestricted_andATenantCanBeExempted() {
    io.vertx.core.json.JsonObject asRoot = new io.vertx.core.json.JsonObject().put("Cmd", new io.vertx.core.json.JsonArray().add("id")).put("User", "0");
    org.assertj.core.api.Assertions.assertThatCode(() -> new CreatePolicy(PolicyConfig.defaults()).checkExecCreate("alice", asRoot.copy()))
        .as("unrestricted by default").doesNotThrowAnyException();
    PolicyConfig restricted = PolicyConfig.fromJson(new io.vertx.core.json.JsonObject().put("restrictExecUser", true)
        .put("tenants", new io.vertx.core.json.JsonObject().put("ops", new io.vertx.core.json.JsonObject()
            .put("allow", new io.vertx.core.json.JsonArray().add("exec-user")))));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CreatePolicy(restricted).checkExecCreate("alice", asRoot.copy()))
        .hasMessageContaining("field User, rule exec-user");
    org.assertj.core.api.Assertions.assertThatCode(() -> new CreatePolicy(restricted).checkExecCreate("alice",
        new io.vertx.core.json.JsonObject().put("Cmd", new io.vertx.core.json.JsonArray().add("id")))).doesNotThrowAnyException();
    org.assertj.core.api.Assertions.assertThatCode(() -> new CreatePolicy(restricted).checkExecCreate("ops", asRoot.copy()))
        .as("ops has the rule opened").doesNotThrowAnyException();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} is registry {1}")
  @org.junit.jupiter.params.provider.CsvSource({
      "busybox, docker.io", "library/busybox, docker.io", "team/app:1, docker.io",
      "127.0.0.1:5000/app, 127.0.0.1:5000", "Registry.Example.com/team/app, registry.example.com",
      "localhost/app, localhost", "index.docker.io/library/busybox, docker.io",
  })
  void registryOfImage_readsTheReferenceAsDockerDoes(String reference, String registry) {
    org.assertj.core.api.Assertions.assertThat(CreatePolicy.registryOfImage(reference)).isEqualTo(registry);
  }

  @org.junit.jupiter.api.Test
  void registries_whenRestricted_onlyThoseArePulledFromPushedToOrLoggedInto() {
    CreatePolicy restricted = new CreatePolicy(PolicyConfig.fromJson(new io.vertx.core.json.JsonObject()
        .put("allowedRegistries", new io.vertx.core.json.JsonArray().add("docker.io").add("registry.example.com:5000"))));
    org.assertj.core.api.Assertions.assertThatCode(() -> {
      restricted.checkRegistry("alice", "busybox", "fromImage");
      restricted.checkRegistry("alice", "registry.example.com:5000/team/app", "name");
      restricted.checkRegistry("alice", "https://index.docker.io/v1/", "serveraddress");
    }).doesNotThrowAnyException();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> restricted.checkRegistry("alice", "10.0.0.5:5000/x", "fromImage"))
        .hasMessageContaining("registry 10.0.0.5:5000 is not allowed").hasMessageContaining("rule registries");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> restricted.checkRegistry("alice", "http://127.0.0.1:24199", "serveraddress"))
        .hasMessageContaining("registry 127.0.0.1:24199 is not allowed");
    org.assertj.core.api.Assertions.assertThatCode(() -> new CreatePolicy(PolicyConfig.defaults())
        .checkRegistry("alice", "10.0.0.5:5000/x", "fromImage")).as("any registry by default").doesNotThrowAnyException();
  }
}
