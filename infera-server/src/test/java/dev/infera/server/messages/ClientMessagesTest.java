package dev.infera.server.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientMessagesTest {

  @Test
  void javaClassNamesAreRemoved() {
    assertThat(
            ClientMessages.forClient(
                "model 'm': com.google.gson.stream.MalformedJsonException: malformed JSON"))
        .isEqualTo("model 'm': malformed JSON");
    assertThat(
            ClientMessages.forClient("failed: io.netty.handler.codec.DecoderException: bad frame"))
        .isEqualTo("failed: bad frame");
  }

  @Test
  void absolutePathsKeepOnlyTheFileName() {
    assertThat(
            ClientMessages.forClient(
                "model 'broken': ONNX Runtime cannot load '/tmp/infera-repo123/broken/1/model.onnx':"
                    + " Protobuf parsing failed."))
        .isEqualTo(
            "model 'broken': ONNX Runtime cannot load 'model.onnx': Protobuf parsing failed.");
  }

  @Test
  void nativeSourceLocationsAndSignaturesAreRemoved() {
    assertThat(
            ClientMessages.forClient(
                "Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/math/element_wise_ops.h:560"
                    + " void onnxruntime::BroadcastIterator::Append(ptrdiff_t, ptrdiff_t) axis == 1"
                    + " was false. Attempting to broadcast an axis by a dimension other than 1."))
        .isEqualTo(
            "Status Message: axis == 1 was false. Attempting to broadcast an axis by a dimension"
                + " other than 1.");
  }

  @Test
  void aLocationAfterAColonAndASignatureAfterAFileNameLeaveTheWordsAroundThem() {
    assertThat(
            ClientMessages.forClient(
                "Load model from /tmp/repo/empty/1/model.onnx failed:/onnxruntime_src/onnxruntime/"
                    + "core/graph/model.cc:177 onnxruntime::Model::Model(onnx::ModelProto&&, const"
                    + " PathString&) ModelProto does not have a graph."))
        .isEqualTo("Load model from model.onnx failed: ModelProto does not have a graph.");
  }

  @Test
  void jacksonMethodReferencesAreRemoved() {
    assertThat(
            ClientMessages.forClient(
                "JSON exceeds a limit at line 1, column 40: Document nesting depth (33) exceeds the"
                    + " maximum allowed (32, from `StreamReadConstraints.getMaxNestingDepth()`)"))
        .isEqualTo(
            "JSON exceeds a limit at line 1, column 40: Document nesting depth (33) exceeds the"
                + " maximum allowed (32)");
  }

  @Test
  void ordinaryMessagesPassUnchanged() {
    String message =
        "model 'simple' version '1': input 'INPUT0' has shape [1, 15] (expected [-1, 16]); see"
            + " https://example.com/docs/a.b and 3/4 of rows, path /v2/models/x/infer";
    assertThat(ClientMessages.forClient(message)).isEqualTo(message);
  }

  /**
   * Messages echo the client's input, so each pattern must run in time linear in the message. Each
   * of these took minutes or hours before (a pattern rescanning a long run from every position in
   * it: 3.4 s for a 10,000-character input name on the server, growing with its square); the
   * generous limit only stops the test from hanging, it measures no speed.
   */
  @Test
  void longRunsFromTheClientAreCleanedWithoutRescanning() {
    int n = 200_000;
    for (String run :
        new String[] {
          "X".repeat(n),
          "io.".repeat(n / 3),
          "a::".repeat(n / 3),
          "a,".repeat(n / 2),
          " ".repeat(n) + "x",
          "/a".repeat(n / 2) + "/",
          "x.".repeat(n / 2),
        }) {
      String message = "input '" + run + "' is not an input of model 'simple'";
      // Without the cut to MAX_LENGTH, which would hide a pattern that rescans.
      String cleaned =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30), () -> ClientMessages.withoutInternals(message));
      assertThat(cleaned).startsWith("input '").endsWith("' is not an input of model 'simple'");
      assertThat(ClientMessages.forClient(message)).endsWith("more characters)");
    }
  }

  @Test
  void aLongMessageIsCutSayingHowMuch() {
    String message = "input '" + "N".repeat(10_000) + "' is unknown";
    assertThat(ClientMessages.forClient(message))
        .isEqualTo(
            "input '"
                + "N".repeat(ClientMessages.MAX_LENGTH - 7)
                + " ... ("
                + (message.length() - ClientMessages.MAX_LENGTH)
                + " more characters)");
    String fits = "input '" + "N".repeat(1_000) + "' is unknown";
    assertThat(ClientMessages.forClient(fits)).isEqualTo(fits);
  }
}
