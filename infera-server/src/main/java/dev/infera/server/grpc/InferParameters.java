package dev.infera.server.grpc;

import dev.infera.server.grpc.proto.InferParameter;
import dev.infera.spi.InferenceException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts protocol parameters to the plain values {@link dev.infera.core.InferenceRequest} carries
 * ({@code Boolean}, {@code Long}, {@code Double}, {@code String}) and back.
 */
final class InferParameters {
  private InferParameters() {}

  /**
   * The plain values of a parameter map. A {@code uint64_param} becomes a {@code Long} when it fits
   * one; larger values are rejected.
   *
   * @param where names the parameters' owner in error messages, such as {@code "request"}
   */
  static Map<String, Object> decode(Map<String, InferParameter> parameters, String where) {
    if (parameters.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> values = new LinkedHashMap<>();
    parameters.forEach((name, parameter) -> values.put(name, decode(name, parameter, where)));
    return values;
  }

  private static Object decode(String name, InferParameter parameter, String where) {
    return switch (parameter.getParameterChoiceCase()) {
      case BOOL_PARAM -> parameter.getBoolParam();
      case INT64_PARAM -> parameter.getInt64Param();
      case STRING_PARAM -> parameter.getStringParam();
      case DOUBLE_PARAM -> parameter.getDoubleParam();
      case UINT64_PARAM -> {
        long value = parameter.getUint64Param();
        if (value < 0) {
          throw InferenceException.invalidArgument(
              where
                  + " parameter '"
                  + name
                  + "': uint64 value "
                  + Long.toUnsignedString(value)
                  + " is too large (expected at most "
                  + Long.MAX_VALUE
                  + ")");
        }
        yield value;
      }
      case PARAMETERCHOICE_NOT_SET ->
          throw InferenceException.invalidArgument(
              where
                  + " parameter '"
                  + name
                  + "' has no value (expected bool, int64, string,"
                  + " double or uint64)");
    };
  }

  /**
   * The protocol form of plain values: booleans, integral numbers (as int64), floating-point
   * numbers (as double); anything else as its string form.
   */
  static Map<String, InferParameter> encode(Map<String, Object> values) {
    if (values.isEmpty()) {
      return Map.of();
    }
    Map<String, InferParameter> parameters = new LinkedHashMap<>();
    values.forEach((name, value) -> parameters.put(name, encode(value)));
    return parameters;
  }

  static InferParameter encode(Object value) {
    InferParameter.Builder builder = InferParameter.newBuilder();
    if (value instanceof Boolean b) {
      builder.setBoolParam(b);
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      builder.setInt64Param(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      builder.setDoubleParam(((Number) value).doubleValue());
    } else {
      builder.setStringParam(String.valueOf(value));
    }
    return builder.build();
  }
}
