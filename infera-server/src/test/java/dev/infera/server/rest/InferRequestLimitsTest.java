package dev.infera.server.rest;

import static dev.infera.server.rest.RequestJson.failure;
import static dev.infera.server.rest.RequestJson.oneInput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The decoder's limits: JSON nesting, per-tensor element counts, Jackson's read constraints. */
class InferRequestLimitsTest {
  private static DecodedRequest decode(String json, long maxTensorElements) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return InferRequestDecoder.decode(bytes, 0, bytes.length, maxTensorElements);
  }

  @Test
  void nestingDeeperThanTheLimitIsInvalid() {
    int depth = Json.MAX_NESTING_DEPTH;
    String data = "[".repeat(depth) + "1" + "]".repeat(depth);

    InferenceException e = failure(() -> decode(oneInput("INT32", "[1]", data), Long.MAX_VALUE));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage())
        .startsWith("JSON nesting depth exceeds the maximum allowed (100)")
        .doesNotContain("StreamReadConstraints")
        .doesNotContain("Document");
  }

  @Test
  void deeplyNestedUnknownFieldsAreInvalidToo() {
    String junk = "{\"a\":".repeat(100) + "1" + "}".repeat(100);

    InferenceException e =
        failure(() -> decode("{\"extra\":" + junk + ",\"inputs\":[]}", Long.MAX_VALUE));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void dataNestedAsDeepAsTritonAllowsIsRead() {
    int depth = Json.MAX_NESTING_DEPTH - 3; // the request object, 'inputs' and the input object
    String shape = "[" + "1,".repeat(depth - 1) + "1]";
    String data = "[".repeat(depth) + "7" + "]".repeat(depth);

    DecodedRequest request = decode(oneInput("INT32", shape, data), Long.MAX_VALUE);

    assertThat(request.inputs().get(0).tensor().elementCount()).isEqualTo(1);
  }

  @Test
  void nestingWithinTheLimitIsRead() {
    String data = "[[[[[[1]]]]]]";

    DecodedRequest request = decode(oneInput("INT32", "[1,1,1,1,1,1]", data), Long.MAX_VALUE);

    assertThat(request.inputs().get(0).tensor().elementCount()).isEqualTo(1);
  }

  @Test
  void aShapeOverTheTensorLimitIsInvalidAndNamesTheTensor() {
    InferenceException e = failure(() -> decode(oneInput("FP32", "[2,3]", "[1,2,3,4,5,6]"), 5));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage())
        .isEqualTo("input 'x': shape [2, 3] holds 6 elements, more than the limit of 5 per tensor");
  }

  @Test
  void aShapeAfterTheDataIsCheckedAsOneBefore() {
    // 'datatype', then 'data', then 'shape': the shape arrives when the data is read already.
    String overLimit =
        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6],"
            + "\"shape\":[6]}]}";
    String overflowing =
        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1],"
            + "\"shape\":[4294967296,4294967296]}]}";

    InferenceException limit = failure(() -> decode(overLimit, 5));
    InferenceException overflow = failure(() -> decode(overflowing, Long.MAX_VALUE));

    assertThat(limit.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(limit.getMessage())
        .isEqualTo("input 'x': shape [6] holds 6 elements, more than the limit of 5 per tensor");
    assertThat(overflow.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(overflow.getMessage()).startsWith("input 'x': shape [4294967296, 4294967296]");
  }

  @Test
  void aBinaryInputShapeOverTheTensorLimitIsInvalid() {
    String json =
        "{\"inputs\":[{\"name\":\"b\",\"shape\":[1000000],\"datatype\":\"BOOL\","
            + "\"parameters\":{\"binary_data_size\":1000000}}]}";

    InferenceException e = failure(() -> decode(json, 1000));

    assertThat(e.getMessage()).startsWith("input 'b': shape [1000000] holds 1000000 elements");
  }

  @Test
  void aShapeAtTheTensorLimitIsRead() {
    DecodedRequest request = decode(oneInput("FP32", "[2,3]", "[1,2,3,4,5,6]"), 6);

    assertThat(request.inputs().get(0).tensor().elementCount()).isEqualTo(6);
  }

  @Test
  void anOverlongNumberIsInvalidNotInternal() {
    String digits = "1".repeat(5000);

    InferenceException e =
        failure(() -> decode(oneInput("FP64", "[1]", "[" + digits + "]"), Long.MAX_VALUE));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void longStringsAreBoundedByTheRequestSizeOnly() {
    String text = "a".repeat(21_000_000); // beyond Jackson's default string limit of 20 million

    DecodedRequest request = decode(oneInput("BYTES", "[1]", "[\"" + text + "\"]"), Long.MAX_VALUE);

    assertThat(request.inputs().get(0).tensor().elements().get(0)).hasSize(21_000_000);
  }

  @Test
  void bytesThatJacksonTakesForUtf32AreInvalidNotInternal() {
    byte[] body = "[\u0000\u0000\u0000{\"inputs\":[]}".getBytes(StandardCharsets.UTF_8);

    InferenceException e =
        failure(() -> InferRequestDecoder.decode(body, 0, body.length, Long.MAX_VALUE));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage()).startsWith("unreadable JSON (expected UTF-8)");
  }
}
