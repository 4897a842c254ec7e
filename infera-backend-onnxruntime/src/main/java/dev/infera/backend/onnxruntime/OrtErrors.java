package dev.infera.backend.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtException.OrtErrorCode;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;

/**
 * Turns ONNX Runtime's exceptions into {@link InferenceException}s with ONNX Runtime's reason.
 * Public for {@link #reason}, which {@code infera bench --in-process} reports load failures with.
 */
public final class OrtErrors {
  private static final String PREFIX_END = " - message: ";

  private OrtErrors() {}

  /** ONNX Runtime's own message, without its "Error code - ... - message:" prefix. */
  public static String reason(OrtException e) {
    String message = String.valueOf(e.getMessage());
    int end = message.indexOf(PREFIX_END);
    return end >= 0 ? message.substring(end + PREFIX_END.length()).trim() : message;
  }

  /** A failure while loading {@code file}: a file ONNX Runtime cannot read or does not accept. */
  static InferenceException loadFailure(String model, String file, OrtException e) {
    ErrorCode code =
        switch (e.getCode()) {
          case ORT_NO_SUCHFILE, ORT_NOT_FOUND -> ErrorCode.NOT_FOUND;
          case ORT_EP_FAIL -> ErrorCode.FAILED_PRECONDITION;
          default -> ErrorCode.INVALID_ARGUMENT;
        };
    return new InferenceException(
        code, "model '" + model + "': ONNX Runtime cannot load '" + file + "': " + reason(e), e);
  }

  /**
   * A failure while running: the inputs' fault when ONNX Runtime says an argument was invalid
   * (wrong type, shape or name), an internal failure otherwise.
   */
  static InferenceException runFailure(String model, OrtException e) {
    if (e.getCode() == OrtErrorCode.ORT_INVALID_ARGUMENT) {
      return new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "model '" + model + "': ONNX Runtime rejected the inputs: " + reason(e),
          e);
    }
    return new InferenceException(
        ErrorCode.INTERNAL, "model '" + model + "': ONNX Runtime failed: " + reason(e), e);
  }
}
