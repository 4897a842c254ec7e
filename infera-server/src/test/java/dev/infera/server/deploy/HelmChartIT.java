package dev.infera.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders deploy/helm/infera with Helm itself (helm-java bundles Helm's Go library; nothing is
 * downloaded) for the default values and each variant in the chart's ci/ folder, and parses every
 * object with fabric8's model classes as an object of its kind with no unknown field. The probes'
 * paths are then asked of a real server on the ports the probes name.
 */
class HelmChartIT {
  private static final Path CHART =
      Paths.get("..", "deploy", "helm", "infera").toAbsolutePath().normalize();

  private static List<HasMetadata> render(Optional<String> variant) {
    var template = new Helm(CHART).template().withName("prod").withNamespace("serving");
    variant.ifPresent(name -> template.withValuesFile(CHART.resolve("ci").resolve(name)));
    return ManifestCheck.parse(template.call());
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> kind) {
    List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(found).as(kind.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private static Container server(List<HasMetadata> objects) {
    return only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "s3-values.yaml", "keda-values.yaml", "hpa-values.yaml", "tls-values.yaml"})
  void everyObjectParsesAsItsKindWithoutUnknownFields(String variant) {
    List<HasMetadata> objects = render(Optional.of(variant).filter(v -> !v.isEmpty()));
    assertThat(objects).isNotEmpty();
    for (HasMetadata object : objects) {
      assertThat(ManifestCheck.unknownFields(object))
          .as("%s %s", object.getKind(), object.getMetadata().getName())
          .isEmpty();
      assertThat(object.getMetadata().getName()).isEqualTo("prod-infera");
    }
    assertThat(objects).hasAtLeastOneElementOfType(Service.class);
    assertThat(objects).hasAtLeastOneElementOfType(PodDisruptionBudget.class);
  }

  @Test
  void theDefaultDeploymentIsReadOnlyNonRootAndOutlivesItsDrain() {
    List<HasMetadata> objects = render(Optional.empty());
    Deployment deployment = only(objects, Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container server = pod.getContainers().get(0);

    assertThat(server.getArgs())
        .contains("serve", "--model-repository=/models", "--exit-timeout-secs=30");
    assertThat(pod.getTerminationGracePeriodSeconds())
        .as("preStop sleep + --exit-timeout-secs + margin")
        .isGreaterThan(30 + 10);
    assertThat(server.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(10);
    assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(server.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(server.getVolumeMounts())
        .extracting(mount -> mount.getMountPath())
        .contains("/tmp", "/models");
    assertThat(server.getResources().getRequests()).containsKeys("cpu", "memory");

    Service service = only(objects, Service.class);
    assertThat(service.getSpec().getPorts())
        .extracting(ServicePort::getName, ServicePort::getPort)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("http", 8000),
            org.assertj.core.groups.Tuple.tuple("grpc", 8001),
            org.assertj.core.groups.Tuple.tuple("metrics", 8002));
    assertThat(only(objects, PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    assertThat(objects).noneMatch(HorizontalPodAutoscaler.class::isInstance);
  }

  @Test
  void probesAskARealServerOnThePortsTheyName() throws Exception {
    Container container = server(render(Optional.empty()));
    Map<String, HTTPGetAction> probes =
        Map.of(
            "startup", container.getStartupProbe().getHttpGet(),
            "liveness", container.getLivenessProbe().getHttpGet(),
            "readiness", container.getReadinessProbe().getHttpGet());
    Path examples = Paths.get("..", "examples", "models").toAbsolutePath().normalize();
    try (InferaServer server = InferaServer.start(ServerOptions.onFreePorts(examples))) {
      // HTTP/1.1, as kubelet probes and Prometheus: the JDK client's h2c upgrade can lose part of
      // a large first answer such as /metrics (docs/clients.md).
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(30))
              .build();
      Map<String, Integer> ports =
          Map.of(
              "http",
              server.httpPort(),
              "grpc",
              server.grpcPort(),
              "metrics",
              server.metricsPort());
      for (var probe : probes.entrySet()) {
        HTTPGetAction get = probe.getValue();
        assertThat(get.getScheme()).isEqualTo("HTTP");
        int port = ports.get(get.getPort().getStrVal());
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + get.getPath()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(probe.getKey() + " " + get.getPath()).isEqualTo(200);
      }
      HttpResponse<String> metrics =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("infera_desired_replicas");
    }
  }

  @Test
  void s3VariantMirrorsTheBucketIntoAWritableCacheWithCredentialsFromASecret() {
    Container container = server(render(Optional.of("s3-values.yaml")));
    assertThat(container.getArgs())
        .contains(
            "--model-repository=s3://minio.storage:9000/models/prod",
            "--model-cache-dir=/var/cache/infera");
    ManifestCheck.cliAccepts(container.getArgs());
    assertThat(container.getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("AWS_SECRET_ACCESS_KEY");
              assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("infera-s3");
            });
    assertThat(container.getVolumeMounts())
        .extracting(mount -> mount.getMountPath())
        .contains("/var/cache/infera")
        .doesNotContain("/models");
  }

  @Test
  void tlsVariantMountsSecretsAndProbesOverHttps() {
    List<HasMetadata> objects = render(Optional.of("tls-values.yaml"));
    Container container = server(objects);
    assertThat(container.getArgs())
        .contains(
            "--tls-cert=/etc/infera/tls/tls.crt",
            "--tls-key=/etc/infera/tls/tls.key",
            "--tls-client-ca=/etc/infera/client-ca/ca.crt",
            "--auth-config=/etc/infera/auth/auth.yaml");
    assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    ManifestCheck.cliAccepts(container.getArgs());
    assertThat(only(objects, Deployment.class).getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(volume -> volume.getSecret() != null)
        .extracting(volume -> volume.getSecret().getSecretName())
        .containsExactlyInAnyOrder("infera-tls", "infera-client-ca", "infera-auth");
  }

  @Test
  void hpaScalesOnTheDesiredReplicasGaugeWithTheConfiguredBehaviour() {
    List<HasMetadata> objects = render(Optional.of("hpa-values.yaml"));
    HorizontalPodAutoscaler hpa = only(objects, HorizontalPodAutoscaler.class);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("prod-infera");
    assertThat(hpa.getSpec().getMetrics().get(0).getPods().getMetric().getName())
        .isEqualTo("infera_desired_replicas");
    assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds())
        .isEqualTo(300);
    assertThat(hpa.getSpec().getBehavior().getScaleUp().getPolicies()).hasSize(2);
    assertThat(only(objects, Deployment.class).getSpec().getReplicas())
        .as("the autoscaler owns the replica count")
        .isNull();

    GenericKubernetesResource monitor = only(objects, GenericKubernetesResource.class);
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints).extracting(endpoint -> endpoint.get("port")).containsExactly("metrics");
  }

  @Test
  void kedaVariantScalesOnTheFleetsSummedGauge() {
    List<HasMetadata> objects = render(Optional.of("keda-values.yaml"));
    assertThat(objects).noneMatch(HorizontalPodAutoscaler.class::isInstance);
    GenericKubernetesResource scaled = only(objects, GenericKubernetesResource.class);
    assertThat(scaled.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
    assertThat(scaled.getKind()).isEqualTo("ScaledObject");
    assertThat((String) scaled.get("spec", "scaleTargetRef", "name")).isEqualTo("prod-infera");
    List<Map<String, Object>> triggers = scaled.get("spec", "triggers");
    assertThat(triggers)
        .singleElement()
        .satisfies(
            trigger -> {
              assertThat(trigger.get("type")).isEqualTo("prometheus");
              @SuppressWarnings("unchecked")
              Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
              assertThat((String) metadata.get("query")).contains("sum(infera_desired_replicas");
              assertThat(metadata).containsKeys("serverAddress", "threshold");
            });
    assertThat((Object) scaled.get("spec", "advanced", "horizontalPodAutoscalerConfig", "behavior"))
        .isNotNull();
  }

  @Test
  void chartVariantsAreAllTested() throws Exception {
    try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "s3-values.yaml", "keda-values.yaml", "hpa-values.yaml", "tls-values.yaml");
    }
  }
}
