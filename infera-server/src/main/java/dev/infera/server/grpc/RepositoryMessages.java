package dev.infera.server.grpc;

import dev.infera.core.lifecycle.RepositoryControl;
import dev.infera.core.lifecycle.VersionStatus;
import dev.infera.server.grpc.proto.ModelRepositoryParameter;
import dev.infera.server.grpc.proto.RepositoryIndexRequest;
import dev.infera.server.grpc.proto.RepositoryIndexResponse;
import dev.infera.server.grpc.proto.RepositoryModelLoadRequest;
import dev.infera.server.grpc.proto.RepositoryModelUnloadRequest;
import dev.infera.server.messages.ClientMessages;
import dev.infera.spi.InferenceException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The repository RPCs' messages, in Triton's shapes, to and from {@link RepositoryControl}. A
 * load's {@code config} parameter is a {@code string_param} holding a ModelConfig in JSON; an
 * unload's {@code unload_dependents} is a {@code bool_param}. Other parameters are
 * INVALID_ARGUMENT.
 */
final class RepositoryMessages {
  private RepositoryMessages() {}

  static RepositoryIndexResponse index(RepositoryControl control, RepositoryIndexRequest request) {
    RepositoryIndexResponse.Builder response = RepositoryIndexResponse.newBuilder();
    for (VersionStatus status : control.index(request.getReady())) {
      response
          .addModelsBuilder()
          .setName(status.model())
          .setVersion(status.version())
          .setState(status.state().name())
          .setReason(ClientMessages.forClient(status.reason()));
    }
    return response.build();
  }

  static CompletableFuture<Void> load(
      RepositoryControl control, RepositoryModelLoadRequest request) {
    Map<String, ModelRepositoryParameter> parameters = request.getParametersMap();
    checkKnown(parameters, Set.of("config"));
    Optional<String> config = Optional.empty();
    ModelRepositoryParameter value = parameters.get("config");
    if (value != null) {
      if (value.getParameterChoiceCase()
          != ModelRepositoryParameter.ParameterChoiceCase.STRING_PARAM) {
        throw InferenceException.invalidArgument(
            "parameter 'config' (expected a string_param holding a ModelConfig in JSON)");
      }
      config = Optional.of(value.getStringParam());
    }
    return control.load(request.getModelName(), config);
  }

  static CompletableFuture<Void> unload(
      RepositoryControl control, RepositoryModelUnloadRequest request) {
    Map<String, ModelRepositoryParameter> parameters = request.getParametersMap();
    checkKnown(parameters, Set.of("unload_dependents"));
    ModelRepositoryParameter dependents = parameters.get("unload_dependents");
    if (dependents != null
        && dependents.getParameterChoiceCase()
            != ModelRepositoryParameter.ParameterChoiceCase.BOOL_PARAM) {
      throw InferenceException.invalidArgument(
          "parameter 'unload_dependents' (expected a bool_param)");
    }
    return control.unload(request.getModelName(), dependents != null && dependents.getBoolParam());
  }

  private static void checkKnown(
      Map<String, ModelRepositoryParameter> parameters, Set<String> known) {
    for (String name : parameters.keySet()) {
      if (!known.contains(name)) {
        throw InferenceException.invalidArgument(
            "unknown parameter '" + name + "' (expected one of: " + known + ")");
      }
    }
  }
}
