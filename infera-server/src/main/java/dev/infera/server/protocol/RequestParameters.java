package dev.infera.server.protocol;

import dev.infera.core.OutputOptions;
import dev.infera.core.RequestOptions;
import dev.infera.core.SharedMemoryPlacement;
import dev.infera.core.TraceContext;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Function;

/**
 * Translates a request's protocol parameters and envelope headers into the core's typed {@link
 * RequestOptions} and {@link OutputOptions}, once, at the edge. Parameter values are the plain
 * values both adapters produce: {@code Boolean}, {@code Long}, {@code Double} or {@code String}.
 * Every bad value is INVALID_ARGUMENT naming the parameter and what was expected. Stateless.
 *
 * <p>Request parameters read here: {@value #PRIORITY}, {@value #TIMEOUT} (microseconds, Triton's
 * unit), {@value #BINARY_DATA_OUTPUT} and {@value #ROUTING_KEY}; the sequence extension's ({@code
 * sequence_id}, {@code sequence_start}, {@code sequence_end}) are UNIMPLEMENTED, as this server has
 * no sequence batcher, except for the values that mean "not in a sequence" (id 0 or "", a false
 * flag), which are accepted and dropped; any other is passed through in {@link
 * RequestOptions#parameters()}. Output parameters: {@value #BINARY_DATA}, {@value #CLASSIFICATION}
 * and the shared-memory placement ({@value #SHARED_MEMORY_REGION}, {@value #SHARED_MEMORY_OFFSET},
 * {@value #SHARED_MEMORY_BYTE_SIZE}). Headers (HTTP headers or gRPC metadata): W3C {@value
 * #TRACEPARENT} and {@value #TRACESTATE}, and {@value #ROUTING_KEY_HEADER} when no {@value
 * #ROUTING_KEY} parameter came.
 */
public final class RequestParameters {
  public static final String PRIORITY = "priority";
  public static final String TIMEOUT = "timeout";
  public static final String BINARY_DATA_OUTPUT = "binary_data_output";
  public static final String ROUTING_KEY = "routing_key";
  public static final String BINARY_DATA = "binary_data";
  public static final String BINARY_DATA_SIZE = "binary_data_size";
  public static final String CLASSIFICATION = "classification";
  public static final String SHARED_MEMORY_REGION = "shared_memory_region";
  public static final String SHARED_MEMORY_OFFSET = "shared_memory_offset";
  public static final String SHARED_MEMORY_BYTE_SIZE = "shared_memory_byte_size";
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";
  public static final String ROUTING_KEY_HEADER = "infera-routing-key";

  /**
   * The server's own warm-up requests carry this header with the value {@value #WARMUP_ADMITTED}
   * once the endpoint's warm-up pass admitted them (security.WarmupPass, which removes it from
   * every other request); it becomes {@link RequestOptions#warmup()}.
   */
  public static final String WARMUP_HEADER = "infera-warmup";

  public static final String WARMUP_ADMITTED = "admitted";

  /** Routing keys longer than this are refused: they are identifiers, not payloads. */
  static final int MAX_ROUTING_KEY_CHARS = 256;

  private RequestParameters() {}

  /**
   * The options a request's parameters and headers ask for.
   *
   * @param parameters the request-level parameters
   * @param headers looks a header (or gRPC metadata key) up by its lower-case name; null when
   *     absent
   * @return a builder, so that an adapter can add what only it knows (a gRPC deadline)
   */
  public static RequestOptions.Builder requestOptions(
      Map<String, Object> parameters, Function<String, String> headers) {
    RequestOptions.Builder options = RequestOptions.builder();
    boolean binaryOutputs = false;
    String routingKey = null;
    for (Map.Entry<String, Object> entry : parameters.entrySet()) {
      String name = entry.getKey();
      Object value = entry.getValue();
      switch (name) {
        case PRIORITY -> options.priority(priority(value));
        case TIMEOUT -> {
          long micros = nonNegative("request", name, value, " of microseconds");
          if (micros > 0) {
            options.timeout(Duration.of(micros, ChronoUnit.MICROS));
          }
        }
        case BINARY_DATA_OUTPUT -> binaryOutputs = flag("request", name, value);
        case ROUTING_KEY -> routingKey = routingKey("parameter '" + ROUTING_KEY + "'", value);
        case "sequence_id", "sequence_start", "sequence_end" -> {
          if (!outsideSequence(value)) {
            throw new InferenceException(
                ErrorCode.UNIMPLEMENTED,
                "parameter '"
                    + name
                    + "' belongs to the sequence extension, which this server does not implement"
                    + " (no sequence batching: each request is answered on its own)");
          }
        }
        default -> options.parameter(name, value);
      }
    }
    if (routingKey == null) {
      String header = headers.apply(ROUTING_KEY_HEADER);
      if (header != null) {
        routingKey = routingKey("header " + ROUTING_KEY_HEADER, header);
      }
    }
    if (routingKey != null) {
      options.routingKey(routingKey);
    }
    options.trace(TraceContext.of(headers.apply(TRACEPARENT), headers.apply(TRACESTATE)));
    options.warmup(WARMUP_ADMITTED.equals(headers.apply(WARMUP_HEADER)));
    return options.outputDefaults(OutputOptions.DEFAULT.withBinary(binaryOutputs));
  }

  /**
   * Whether a sequence parameter's value says the request is not part of a sequence: the sequence
   * extension's id 0 or "", and a false start or end flag, which clients that always fill these
   * fields send with every request.
   */
  private static boolean outsideSequence(Object value) {
    return Long.valueOf(0).equals(value) || "".equals(value) || Boolean.FALSE.equals(value);
  }

  /**
   * The delivery options of one requested output.
   *
   * @param defaults the request's defaults ({@link RequestOptions#outputDefaults()})
   */
  public static OutputOptions outputOptions(
      String name, Map<String, Object> parameters, OutputOptions defaults) {
    String owner = "output '" + name + "'";
    OutputOptions options = defaults;
    Object binary = parameters.get(BINARY_DATA);
    if (binary != null) {
      options = options.withBinary(flag(owner, BINARY_DATA, binary));
    }
    Object classes = parameters.get(CLASSIFICATION);
    if (classes != null) {
      if (!(classes instanceof Long n) || n < 1 || n > Integer.MAX_VALUE) {
        throw InferenceException.invalidArgument(
            owner
                + ": parameter '"
                + CLASSIFICATION
                + "' is "
                + shown(classes)
                + " (expected a whole number of classes from 1 to "
                + Integer.MAX_VALUE
                + ")");
      }
      options = options.withClassCount(((Long) classes).intValue());
    }
    SharedMemoryPlacement placement = sharedMemory(owner, parameters);
    if (placement != null) {
      if (options.classCount() > 0) {
        throw InferenceException.invalidArgument(
            owner + ": classification cannot be written to shared memory");
      }
      options = options.withSharedMemory(placement);
    }
    return options;
  }

  /**
   * The shared-memory placement a tensor's parameters give, or null when they name no region.
   * Offset and byte size without a region are refused, as is a region without a byte size.
   *
   * @param owner names the tensor in messages, such as {@code input 'x'}
   */
  public static SharedMemoryPlacement sharedMemory(String owner, Map<String, Object> parameters) {
    Object region = parameters.get(SHARED_MEMORY_REGION);
    if (region == null) {
      for (String key : new String[] {SHARED_MEMORY_OFFSET, SHARED_MEMORY_BYTE_SIZE}) {
        if (parameters.containsKey(key)) {
          throw InferenceException.invalidArgument(
              owner + ": parameter '" + key + "' needs '" + SHARED_MEMORY_REGION + "'");
        }
      }
      return null;
    }
    if (!(region instanceof String name) || name.isEmpty()) {
      throw InferenceException.invalidArgument(
          owner + ": parameter '" + SHARED_MEMORY_REGION + "' must be a region's name");
    }
    Object size = parameters.get(SHARED_MEMORY_BYTE_SIZE);
    if (size == null) {
      throw InferenceException.invalidArgument(
          owner + ": parameter '" + SHARED_MEMORY_BYTE_SIZE + "' is missing (with a region)");
    }
    Object offset = parameters.get(SHARED_MEMORY_OFFSET);
    return new SharedMemoryPlacement(
        name,
        offset == null ? 0 : nonNegative(owner, SHARED_MEMORY_OFFSET, offset, " of bytes"),
        nonNegative(owner, SHARED_MEMORY_BYTE_SIZE, size, " of bytes"));
  }

  /** The boolean parameter's value. */
  public static boolean flag(String owner, String name, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw InferenceException.invalidArgument(
        owner + ": parameter '" + name + "' must be true or false");
  }

  /** A parameter's value as a message shows it: text in quotes, so that "3" is not read as 3. */
  private static String shown(Object value) {
    return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
  }

  /** The non-negative integer parameter's value. */
  public static long nonNegative(String owner, String name, Object value, String unit) {
    if (value instanceof Long n && n >= 0) {
      return n;
    }
    throw InferenceException.invalidArgument(
        owner
            + ": parameter '"
            + name
            + "' is "
            + shown(value)
            + " (expected a non-negative integer"
            + unit
            + ")");
  }

  private static int priority(Object value) {
    long level = nonNegative("request", PRIORITY, value, "");
    if (level > Integer.MAX_VALUE) {
      throw InferenceException.invalidArgument(
          "request: parameter 'priority' is " + level + " (expected a priority level)");
    }
    return (int) level;
  }

  private static String routingKey(String where, Object value) {
    if (!(value instanceof String key) || key.isEmpty() || key.length() > MAX_ROUTING_KEY_CHARS) {
      throw InferenceException.invalidArgument(
          where + " must be a string of 1 to " + MAX_ROUTING_KEY_CHARS + " characters");
    }
    return key;
  }
}
