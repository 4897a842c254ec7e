package dev.infera.server.grpc;

import dev.infera.core.InferenceService;
import dev.infera.server.grpc.proto.TraceSettingRequest;
import dev.infera.server.grpc.proto.TraceSettingResponse;
import dev.infera.server.tracing.TraceControl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * gRPC {@code TraceSetting}: with no settings, the settings in force (global, or the named
 * model's); with settings, changes them (an empty value clears one) and answers the settings in
 * force after.
 */
final class TraceMessages {
  private TraceMessages() {}

  static TraceSettingResponse answer(
      TraceControl tracing, InferenceService service, TraceSettingRequest request) {
    Optional<String> model =
        request.getModelName().isEmpty()
            ? Optional.empty()
            : Optional.of(TraceControl.knownModel(service, request.getModelName()));
    Map<String, List<String>> settings;
    if (request.getSettingsCount() == 0) {
      settings = tracing.settings(model);
    } else {
      Map<String, List<String>> changes = new LinkedHashMap<>();
      request.getSettingsMap().forEach((name, value) -> changes.put(name, value.getValueList()));
      settings = tracing.update(model, changes);
    }
    TraceSettingResponse.Builder response = TraceSettingResponse.newBuilder();
    settings.forEach(
        (name, values) ->
            response.putSettings(
                name, TraceSettingResponse.SettingValue.newBuilder().addAllValue(values).build()));
    return response.build();
  }
}
