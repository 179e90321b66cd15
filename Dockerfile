# The gateway's image: the packaged jar on a Java 17 runtime, started as k8s/statefulset.yaml starts it.
#   mvn -B package -DskipTests && docker build -t portcullis:0.1.0 .
# Not built in this repository's CI (no base image can be pulled there): DockerfileTest checks instead
# that its ports, paths, user and arguments agree with k8s/ and conf/.
FROM eclipse-temurin:17-jre

# A fixed non-root uid/gid: the StatefulSet's securityContext (runAsUser, fsGroup) names the same, so
# the state volume is writable. The built-in configuration only opens the listeners to the container's
# network (loopback inside a container reaches no one); everything else is the jar's defaults. A
# ConfigMap mounted on /etc/portcullis/config replaces it.
RUN groupadd --system --gid 10001 portcullis \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/portcullis --no-create-home portcullis \
 && mkdir -p /etc/portcullis/config /var/lib/portcullis \
 && echo '{"edge": {"tlsHost": "0.0.0.0"}, "admin": {"host": "0.0.0.0"}}' > /etc/portcullis/config/portcullis.json \
 && chown 10001:10001 /var/lib/portcullis

COPY app/target/portcullis.jar /opt/portcullis/portcullis.jar

# Also for one-off commands in the container (docker run IMAGE tenant list, kubectl exec ... tenant add):
# they find the same configuration and state without repeating the flags.
ENV PORTCULLIS_CONFIG=/etc/portcullis/config/portcullis.json
ENV PORTCULLIS_STATE_DIR=/var/lib/portcullis

USER 10001:10001
VOLUME /var/lib/portcullis

# 2376 tenants (mutual TLS), 2377 admin API and probes, 5701 Hazelcast, 5711 clustered event bus.
EXPOSE 2376 2377 5701 5711

# No HEALTHCHECK: the JRE image has no HTTP client. Probe the admin port instead, as the StatefulSet
# does: GET https://HOST:2377/health (alive) and /readiness (in the cluster, a backend host up).

# The flags are CMD, not ENTRYPOINT: a Kubernetes container's args replace CMD, and the StatefulSet's
# args are exactly these (with an ENTRYPOINT holding them they would be passed twice).
ENTRYPOINT ["java", "-jar", "/opt/portcullis/portcullis.jar"]
CMD ["--config", "/etc/portcullis/config/portcullis.json", "--state", "/var/lib/portcullis"]
