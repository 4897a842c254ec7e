package dev.infera.server.rest;

import static dev.infera.server.rest.RequestJson.decode;
import static dev.infera.server.rest.RequestJson.failure;
import static dev.infera.server.rest.RequestJson.oneInput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.protocol.OutputRequest;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The request document around the tensor data: fields, parameters, outputs, malformed bodies. */
class InferRequestStructureTest {

  @Test
  void readsIdParametersAndOutputs() {
    DecodedRequest request =
        decode(
            "{\"id\":\"r1\",\"parameters\":{\"priority\":2,\"timeout\":1500,\"tag\":\"t\","
                + "\"binary_data_output\":true},\"inputs\":[],\"outputs\":[{\"name\":\"y\","
                + "\"parameters\":{\"binary_data\":false,\"classification\":3}}]}");

    assertThat(request.id()).contains("r1");
    assertThat(request.parameters())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("priority", 2L, "timeout", 1500L, "tag", "t", "binary_data_output", true));
    assertThat(request.outputs())
        .containsExactly(
            new OutputRequest("y", Map.of("binary_data", false, "classification", 3L)));
  }

  @Test
  void requestWithoutIdHasNone() {
    assertThat(decode("{\"inputs\":[]}").id()).isEqualTo(Optional.empty());
  }

  @Test
  void skipsUnknownFields() {
    DecodedRequest request =
        decode(
            "{\"extra\":{\"a\":[1,{}]},\"inputs\":[{\"name\":\"x\",\"shape\":[1],"
                + "\"datatype\":\"INT32\",\"note\":[[1]],\"data\":[5]}]}");

    assertThat(request.inputs().get(0).tensor().data().getInt(0)).isEqualTo(5);
  }

  @Test
  void inputWithBinaryDataSizeWaitsForItsBytes() {
    DecodedRequest request =
        decode(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":8}}]}");

    DecodedInput input = request.inputs().get(0);
    assertThat(input.isBinary()).isTrue();
    assertThat(input.binaryDataSize()).isEqualTo(8);
  }

  @ParameterizedTest
  @MethodSource("malformedRequests")
  void rejectsMalformedRequestsNamingWhatIsWrong(String json, String expectedText) {
    InferenceException e = failure(() -> decode(json));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains(expectedText);
  }

  static Stream<Arguments> malformedRequests() {
    return Stream.of(
        Arguments.of("", "request body is empty"),
        Arguments.of("[1]", "request body must be a JSON object"),
        Arguments.of("{\"inputs\":[", "malformed JSON at line 1, column 12"),
        Arguments.of(
            "{\"inputs\":[", "expected close marker for Array (start marker at line 1, column 11)"),
        Arguments.of("{\"inputs\":[]}\n{}", "malformed JSON at line 2, column"),
        Arguments.of("{\"inputs\":[}", "malformed JSON at line 1, column"),
        Arguments.of("{}", "'inputs' is missing"),
        Arguments.of("{\"inputs\":{}}", "'inputs' must be an array"),
        Arguments.of("{\"inputs\":[3]}", "inputs[0] must be an object"),
        Arguments.of("{\"inputs\":[{\"shape\":[1]}]}", "inputs[0]: 'name' is missing"),
        Arguments.of(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"data\":[1]}]}",
            "input 'x': 'datatype' is missing"),
        Arguments.of(
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1]}]}",
            "input 'x': 'shape' is missing"),
        Arguments.of(
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1]}]}",
            "input 'x': 'data' is missing"),
        Arguments.of(oneInput("FLOAT32", "[1]", "[1]"), "input 'x': unknown datatype 'FLOAT32'"),
        Arguments.of(oneInput("FP32", "[-1]", "[1]"), "input 'x': 'shape' must be an array"),
        Arguments.of(oneInput("FP32", "[1.5]", "[1]"), "input 'x': 'shape' must be an array"),
        Arguments.of(oneInput("FP32", "3", "[1]"), "input 'x': 'shape' must be an array"),
        Arguments.of(oneInput("FP32", "[2,2]", "[1,2,3]"), "input 'x': data holds 3 elements"),
        Arguments.of(oneInput("FP32", "[2]", "[1,2,3]"), "input 'x': data holds more than"),
        Arguments.of(
            oneInput("FP32", "[1000000000]", "[1]"), "input 'x': shape [1000000000] needs"),
        Arguments.of(
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT32\",\"data\":[1,2],\"shape\":[3]}]}",
            "input 'x': data holds 2 elements, shape [3] needs 3"),
        Arguments.of(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1],"
                + "\"parameters\":{\"binary_data_size\":4}}]}",
            "input 'x': has both 'data' and parameter 'binary_data_size'"),
        Arguments.of(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":-4}}]}",
            "input 'x': parameter 'binary_data_size' must be a non-negative integer"),
        Arguments.of(
            "{\"inputs\":[" + input("x") + "," + input("x") + "]}", "input 'x' appears twice"),
        Arguments.of("{\"inputs\":[],\"parameters\":[]}", "request: 'parameters' must be"),
        Arguments.of(
            "{\"inputs\":[],\"parameters\":{\"a\":{}}}",
            "request: parameter 'a' must be a boolean, number or string"),
        Arguments.of(
            "{\"inputs\":[],\"parameters\":{\"binary_data_output\":1}}",
            "parameter 'binary_data_output' must be true or false"),
        Arguments.of("{\"inputs\":[],\"id\":5}", "request: 'id' must be a string"),
        Arguments.of("{\"inputs\":[],\"outputs\":[{}]}", "outputs[0]: 'name' is missing"),
        Arguments.of(
            "{\"inputs\":[],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":\"yes\"}}]}",
            "output 'y': parameter 'binary_data' must be true or false"),
        Arguments.of(
            "{\"inputs\":[],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"classification\":0}}]}",
            "output 'y': parameter 'classification' is 0 (expected a whole number of classes"
                + " from 1 to 2147483647)"),
        Arguments.of(
            "{\"inputs\":[],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"classification\":99999999999}}]}",
            "output 'y': parameter 'classification' is 99999999999 (expected a whole number of"
                + " classes from 1 to 2147483647)"),
        Arguments.of(
            "{\"inputs\":[],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"classification\":\"3\"}}]}",
            "output 'y': parameter 'classification' is '3' (expected a whole number"),
        Arguments.of(
            "{\"inputs\":[],\"outputs\":[{\"name\":\"y\"},{\"name\":\"y\"}]}",
            "output 'y' is requested twice"));
  }

  @Test
  void sharedMemoryInputNeedsItsByteSizeAndNoData() {
    InferenceException noSize =
        failure(
            () ->
                decode(
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\","
                        + "\"parameters\":{\"shared_memory_region\":\"r\"}}]}"));
    InferenceException withData =
        failure(
            () ->
                decode(
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\","
                        + "\"data\":[1],\"parameters\":{\"shared_memory_region\":\"r\","
                        + "\"shared_memory_byte_size\":4}}]}"));

    assertThat(noSize.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(noSize.getMessage()).contains("input 'x'", "shared_memory_byte_size");
    assertThat(withData.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(withData.getMessage()).contains("input 'x'", "region and data");
  }

  private static String input(String name) {
    return "{\"name\":\"" + name + "\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1]}";
  }
}
