package dev.infera.server.protocol;

import dev.infera.server.grpc.GrpcStatusMapping;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.grpc.Status;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the protocol fuzz tests accept as a refusal: an {@link InferenceException} with a code the
 * client caused ({@code INVALID_ARGUMENT} and its kin, {@code UNIMPLEMENTED} for extensions the
 * server does not offer), whose gRPC status is a client status with a description, and whose own
 * wording names no Java class, stack frame or server path. The strings the client sent (tensor and
 * parameter names, values) are masked before that check: echoing them back is fine, and the one
 * place that sanitises replies ({@code ClientMessages}) handles what they hold.
 */
public final class ClientErrorVerdict {
  private static final Set<ErrorCode> CLIENT_CODES =
      EnumSet.of(
          ErrorCode.INVALID_ARGUMENT,
          ErrorCode.NOT_FOUND,
          ErrorCode.FAILED_PRECONDITION,
          ErrorCode.RESOURCE_EXHAUSTED,
          ErrorCode.UNIMPLEMENTED);
  private static final Set<Status.Code> CLIENT_STATUSES =
      EnumSet.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.UNIMPLEMENTED);

  /** A qualified class name ({@code a.b.SomeType}) or any exception's simple name. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z][\\w$]*|\\w+(?:Exception|Error)\\b");

  /** A stack frame, as {@code Throwable.toString} chains print them. */
  private static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w$.]+\\(");

  /** An absolute path of two or more segments; {@code /v2/...} is the protocol's own. */
  private static final Pattern SERVER_PATH =
      Pattern.compile("(?<![\\w.:/])/(?!v2/)[^\\s/'\"`]+/[^\\s/'\"`]+");

  private ClientErrorVerdict() {}

  /**
   * Fails (with an {@link AssertionError}, which the fuzzer reports) unless {@code e} is a client
   * error as described above.
   *
   * @param clientStrings what the client sent as text, masked in the message before the check
   */
  public static void requireClientError(InferenceException e, Collection<String> clientStrings) {
    if (!CLIENT_CODES.contains(e.code())) {
      throw new AssertionError("a refusal with the server-side code " + e.code(), e);
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      throw new AssertionError("a refusal without a message", e);
    }
    Status status = GrpcStatusMapping.toStatus(e);
    if (!CLIENT_STATUSES.contains(status.getCode())
        || status.getDescription() == null
        || status.getDescription().isBlank()) {
      throw new AssertionError("gRPC answers " + status, e);
    }
    String own = mask(message, clientStrings);
    for (Pattern internal : new Pattern[] {CLASS_NAME, STACK_FRAME, SERVER_PATH}) {
      if (internal.matcher(own).find()) {
        throw new AssertionError("the message shows internals: " + message, e);
      }
    }
  }

  private static String mask(String message, Collection<String> clientStrings) {
    String masked = message;
    for (String sent :
        clientStrings.stream()
            .filter(s -> !s.isEmpty())
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList()) {
      masked = masked.replace(sent, "<sent>");
    }
    return masked;
  }
}
