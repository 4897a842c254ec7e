package dev.infera.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/kserve against KServe's ServingRuntime schema (serving.kserve.io/v1alpha1, as its Go types
 * and CRD define it). The CRD itself is not copied into the project: the check encodes its shape —
 * the spec's fields, the required {@code containers} (core/v1 Containers, parsed with fabric8's
 * model, unknown fields reported), the supported model format entries, the protocol enum — and
 * KServe's conventions (model at /mnt/models, REST on 8080, gRPC on 9000). The arguments are parsed
 * by Infera's real command line.
 */
class KServeRuntimeTest {
  private static final Path KSERVE =
      Paths.get("..", "deploy", "kserve").toAbsolutePath().normalize();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** ServingRuntimeSpec's fields, including those of the inlined ServingRuntimePodSpec. */
  private static final Set<String> SPEC_FIELDS =
      Set.of(
          "supportedModelFormats",
          "multiModel",
          "disabled",
          "protocolVersions",
          "workerSpec",
          "containers",
          "volumes",
          "nodeSelector",
          "affinity",
          "tolerations",
          "labels",
          "annotations",
          "imagePullSecrets",
          "schedulerName",
          "hostIPC",
          "hostNetwork",
          "dnsPolicy",
          "grpcEndpoint",
          "grpcDataEndpoint",
          "httpDataEndpoint",
          "replicas",
          "storageHelper",
          "builtInAdapter");

  private static final Set<String> MODEL_FORMAT_FIELDS =
      Set.of("name", "version", "autoSelect", "priority");
  private static final Set<String> PROTOCOLS = Set.of("v1", "v2", "grpc-v1", "grpc-v2");

  private static GenericKubernetesResource read(String file) throws Exception {
    List<HasMetadata> objects = ManifestCheck.parse(Files.readString(KSERVE.resolve(file)));
    assertThat(objects).hasSize(1);
    return (GenericKubernetesResource) objects.get(0);
  }

  @Test
  void clusterServingRuntimeMatchesKServesSchema() throws Exception {
    GenericKubernetesResource runtime = read("infera-runtime.yaml");
    assertThat(runtime.getApiVersion()).isEqualTo("serving.kserve.io/v1alpha1");
    assertThat(runtime.getKind()).isEqualTo("ClusterServingRuntime");
    assertThat(runtime.getMetadata().getNamespace()).as("cluster-scoped").isNull();
    Map<String, Object> spec = runtime.get("spec");
    assertThat(SPEC_FIELDS).containsAll(spec.keySet());

    List<Map<String, Object>> formats = runtime.get("spec", "supportedModelFormats");
    assertThat(formats).isNotEmpty();
    for (Map<String, Object> format : formats) {
      assertThat(MODEL_FORMAT_FIELDS).containsAll(format.keySet());
      assertThat((String) format.get("name")).isNotBlank();
      if (format.containsKey("priority")) {
        assertThat((Integer) format.get("priority")).isPositive();
      }
    }
    assertThat(formats)
        .extracting(format -> format.get("name"))
        .contains("onnx", "xgboost", "python");
    List<String> protocols = runtime.get("spec", "protocolVersions");
    assertThat(PROTOCOLS).containsAll(protocols);
    assertThat(protocols).contains("v2", "grpc-v2");

    List<Object> containers = runtime.get("spec", "containers");
    assertThat(containers).as("containers is required").isNotEmpty();
    for (Object raw : containers) {
      Container container = SERIALIZATION.convertValue(raw, Container.class);
      assertThat(ManifestCheck.unknownFields(wrap(container))).isEmpty();
    }
  }

  @Test
  void theContainerFollowsKServesConventionsWithFlagsInferaAccepts() throws Exception {
    GenericKubernetesResource runtime = read("infera-runtime.yaml");
    List<Object> containers = runtime.get("spec", "containers");
    Container container = SERIALIZATION.convertValue(containers.get(0), Container.class);
    assertThat(container.getName()).isEqualTo("kserve-container");
    assertThat(container.getArgs())
        .contains("--model-repository=/mnt/models", "--http-port=8080", "--grpc-port=9000");
    assertThat(container.getPorts())
        .extracting(port -> port.getContainerPort())
        .containsExactly(8080);
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
    ManifestCheck.cliAccepts(container.getArgs());
  }

  @Test
  void theInferenceServiceExampleUsesTheRuntimeForAFormatItSupports() throws Exception {
    GenericKubernetesResource runtime = read("infera-runtime.yaml");
    GenericKubernetesResource service = read("inferenceservice-example.yaml");
    assertThat(service.getApiVersion()).isEqualTo("serving.kserve.io/v1beta1");
    assertThat(service.getKind()).isEqualTo("InferenceService");
    assertThat((String) service.get("spec", "predictor", "model", "runtime"))
        .isEqualTo(runtime.getMetadata().getName());
    assertThat((String) service.get("spec", "predictor", "model", "protocolVersion"))
        .isEqualTo("v2");
    String format = service.get("spec", "predictor", "model", "modelFormat", "name");
    List<Map<String, Object>> formats = runtime.get("spec", "supportedModelFormats");
    assertThat(formats).extracting(f -> f.get("name")).contains(format);
  }

  private static HasMetadata wrap(Container container) {
    return new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata()
        .withName("check")
        .endMetadata()
        .withNewSpec()
        .withContainers(container)
        .endSpec()
        .build();
  }
}
