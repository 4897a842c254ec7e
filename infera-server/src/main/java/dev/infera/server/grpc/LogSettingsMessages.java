package dev.infera.server.grpc;

import dev.infera.server.grpc.proto.LogSettingsRequest;
import dev.infera.server.grpc.proto.LogSettingsResponse;
import dev.infera.server.logging.LogControl;
import dev.infera.spi.InferenceException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Triton's {@code LogSettings} RPC over the same {@link LogControl} as REST's {@code /v2/logging}:
 * the request's settings (none: only read) are applied all or none with the same rules and
 * messages, and the answer carries the settings in force, booleans as {@code bool_param}, {@code
 * log_verbose_level} as {@code uint32_param}, the file and format as {@code string_param}.
 * Stateless.
 */
final class LogSettingsMessages {
  private LogSettingsMessages() {}

  static LogSettingsResponse apply(LogControl control, LogSettingsRequest request) {
    if (request.getSettingsCount() > 0) {
      control.update(changes(request));
    }
    return answer(control.asMap());
  }

  private static Map<String, Object> changes(LogSettingsRequest request) {
    Map<String, Object> changes = new LinkedHashMap<>();
    request.getSettingsMap().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(entry -> changes.put(entry.getKey(), value(entry.getKey(), entry.getValue())));
    return changes;
  }

  private static Object value(String name, LogSettingsRequest.SettingValue value) {
    return switch (value.getParameterChoiceCase()) {
      case BOOL_PARAM -> value.getBoolParam();
      case UINT32_PARAM -> Integer.toUnsignedLong(value.getUint32Param());
      case STRING_PARAM -> value.getStringParam();
      case PARAMETERCHOICE_NOT_SET ->
          throw InferenceException.invalidArgument(
              "log setting '"
                  + name
                  + "' has no value (expected bool_param, uint32_param or"
                  + " string_param)");
    };
  }

  private static LogSettingsResponse answer(Map<String, Object> settings) {
    LogSettingsResponse.Builder answer = LogSettingsResponse.newBuilder();
    settings.forEach(
        (name, value) -> {
          LogSettingsResponse.SettingValue.Builder setting =
              LogSettingsResponse.SettingValue.newBuilder();
          if (value instanceof Boolean b) {
            setting.setBoolParam(b);
          } else if (value instanceof Number n) {
            setting.setUint32Param(n.intValue());
          } else {
            setting.setStringParam(String.valueOf(value));
          }
          answer.putSettings(name, setting.build());
        });
    return answer.build();
  }
}
