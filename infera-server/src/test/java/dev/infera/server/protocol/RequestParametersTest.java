package dev.infera.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.OutputOptions;
import dev.infera.core.RequestOptions;
import dev.infera.core.SharedMemoryPlacement;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Request parameters and envelope headers becoming the core's typed options. */
class RequestParametersTest {
  private static final Function<String, String> NO_HEADERS = name -> null;
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private static RequestOptions options(Map<String, Object> parameters) {
    return RequestParameters.requestOptions(parameters, NO_HEADERS).build();
  }

  @Test
  void knownParametersBecomeTypedFieldsAndOthersPassThrough() {
    RequestOptions options =
        options(
            Map.of(
                "priority", 2L,
                "timeout", 1500L,
                "binary_data_output", true,
                "routing_key", "user-7",
                "tag", 9L));

    assertThat(options.priority()).isEqualTo(2);
    assertThat(options.timeout()).contains(Duration.ofNanos(1_500_000));
    assertThat(options.outputDefaults().binary()).isTrue();
    assertThat(options.routingKey()).contains("user-7");
    assertThat(options.parameters()).containsExactlyEntriesOf(Map.of("tag", 9L));
  }

  @Test
  void sequenceParametersAreUnimplemented() {
    for (String parameter : new String[] {"sequence_id", "sequence_start", "sequence_end"}) {
      Object value = parameter.equals("sequence_id") ? (Object) 7L : (Object) true;

      assertThatThrownBy(() -> options(Map.of(parameter, value)))
          .isInstanceOfSatisfying(
              InferenceException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.UNIMPLEMENTED))
          .hasMessageContaining("'" + parameter + "'")
          .hasMessageContaining("sequence extension");
    }
  }

  @Test
  void sequenceValuesMeaningNoSequenceAreAcceptedAndDropped() {
    RequestOptions options =
        options(
            Map.of("sequence_id", 0L, "sequence_start", false, "sequence_end", false, "tag", 1L));

    assertThat(options.parameters()).containsExactlyEntriesOf(Map.of("tag", 1L));
    assertThat(options(Map.of("sequence_id", "")).parameters()).isEmpty();
  }

  @Test
  void timeoutZeroMeansNone() {
    assertThat(options(Map.of("timeout", 0L)).timeout()).isEmpty();
  }

  @Test
  void malformedValuesAreRefusedNamingTheParameter() {
    assertRefused(Map.of("timeout", "soon"), "parameter 'timeout' is 'soon'");
    assertRefused(Map.of("timeout", -1L), "non-negative integer of microseconds");
    assertRefused(Map.of("priority", 1.5), "parameter 'priority' is 1.5");
    assertRefused(Map.of("binary_data_output", 1L), "'binary_data_output' must be true or false");
    assertRefused(Map.of("routing_key", 5L), "parameter 'routing_key' must be a string");
  }

  @Test
  void headersGiveTheTraceContextAndAFallbackRoutingKey() {
    Map<String, String> headers =
        Map.of("traceparent", TRACEPARENT, "tracestate", "a=1", "infera-routing-key", "k");

    RequestOptions options = RequestParameters.requestOptions(Map.of(), headers::get).build();

    assertThat(options.trace()).isPresent();
    assertThat(options.trace().get().traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(options.trace().get().tracestate()).contains("a=1");
    assertThat(options.routingKey()).contains("k");
  }

  @Test
  void theRoutingKeyParameterWinsOverTheHeader() {
    Map<String, String> headers = Map.of("infera-routing-key", "header");

    RequestOptions options =
        RequestParameters.requestOptions(Map.of("routing_key", "parameter"), headers::get).build();

    assertThat(options.routingKey()).contains("parameter");
  }

  @Test
  void aMalformedTraceparentIsIgnoredNotRefused() {
    Map<String, String> headers = Map.of("traceparent", "00-xyz-01", "tracestate", "a=1");

    assertThat(RequestParameters.requestOptions(Map.of(), headers::get).build().trace()).isEmpty();
  }

  @Test
  void outputOptionsTakeTheRequestDefaultsUnlessTheOutputSaysOtherwise() {
    OutputOptions binaryByDefault = OutputOptions.DEFAULT.withBinary(true);

    assertThat(RequestParameters.outputOptions("y", Map.of(), binaryByDefault).binary()).isTrue();
    assertThat(
            RequestParameters.outputOptions("y", Map.of("binary_data", false), binaryByDefault)
                .binary())
        .isFalse();
    assertThat(
            RequestParameters.outputOptions("y", Map.of("classification", 3L), binaryByDefault)
                .classCount())
        .isEqualTo(3);
  }

  @Test
  void sharedMemoryPlacementIsReadWithItsDefaults() {
    OutputOptions options =
        RequestParameters.outputOptions(
            "y",
            Map.of("shared_memory_region", "r", "shared_memory_byte_size", 64L),
            OutputOptions.DEFAULT);

    assertThat(options.sharedMemory()).contains(new SharedMemoryPlacement("r", 0, 64));
  }

  @Test
  void incompleteSharedMemoryPlacementsAreRefused() {
    assertThatThrownBy(
            () -> RequestParameters.sharedMemory("input 'x'", Map.of("shared_memory_region", "r")))
        .hasMessageContaining("input 'x': parameter 'shared_memory_byte_size' is missing");
    assertThatThrownBy(
            () -> RequestParameters.sharedMemory("input 'x'", Map.of("shared_memory_offset", 4L)))
        .hasMessageContaining("'shared_memory_offset' needs 'shared_memory_region'");
    assertThatThrownBy(
            () ->
                RequestParameters.outputOptions(
                    "y",
                    Map.of(
                        "classification",
                        2L,
                        "shared_memory_region",
                        "r",
                        "shared_memory_byte_size",
                        8L),
                    OutputOptions.DEFAULT))
        .hasMessageContaining("classification cannot be written to shared memory");
  }

  @Test
  void noPlacementMeansNone() {
    assertThat(RequestParameters.sharedMemory("input 'x'", Map.of("binary_data_size", 4L)))
        .isNull();
    assertThat(OutputOptions.DEFAULT.sharedMemory()).isEqualTo(Optional.empty());
  }

  private static void assertRefused(Map<String, Object> parameters, String message) {
    assertThatThrownBy(() -> options(parameters))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining(message)
        .satisfies(
            e -> assertThat(((InferenceException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }
}
