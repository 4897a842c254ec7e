package dev.infera.server.messages;

import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns the text of a failure into what a client may read. Messages are written
 * for clients, but some carry text from libraries and native code: Java class names ({@code
 * com.google.gson.stream.MalformedJsonException: ...}), absolute server paths (the model
 * repository, native source files such as {@code /onnxruntime_src/.../model.cc:123}), C++
 * signatures and references to library methods. Those are removed here; the full text goes to the
 * log at DEBUG, and the edges log unexpected failures in full anyway.
 *
 * <p>Every reply path calls it: REST error bodies, gRPC status descriptions and the repository
 * index's reasons. Stateless and thread-safe.
 */
public final class ClientMessages {
  private static final Logger LOG = LoggerFactory.getLogger(ClientMessages.class);

  /** A fully qualified Java class name (and a following ": "), as exceptions print themselves. */
  private static final Pattern CLASS_NAME =
      Pattern.compile(
          "\\b(?:com|org|io|java|javax|jdk|sun|ai|ml|dev|net|kotlin|scala)"
              + "\\.(?:[a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*(?:\\.[\\w$]+)*(?:\\(\\))?(?::\\s*)?");

  /** A native source location such as {@code /src/onnxruntime/core/graph/model.cc:123}. */
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("\\S*\\.(?:cc|cpp|cxx|c|h|hpp|cu|cuh)(?::\\d+)+\\s*");

  /** A C++ function signature, as native asserts print them: {@code void ns::f(int) }. */
  private static final Pattern CPP_SIGNATURE =
      Pattern.compile(
          "(?:\\b[\\w:<>*&,]+\\s+)?\\b\\w+(?:::[\\w~<>]+)+\\([^()]*\\)\\s*(?:const\\s*)?");

  /** A library method reference in backquotes, as Jackson names its limits. */
  private static final Pattern METHOD_REFERENCE = Pattern.compile(",?\\s*from `[^`]*`");

  /**
   * An absolute path of two or more segments: the server's own files. The protocol's own paths
   * ({@code /v2/...}) and the path part of URLs are not files and stay.
   */
  private static final Pattern ABSOLUTE_PATH =
      Pattern.compile("(?<![\\w.:/])/(?!v2/)(?:[^\\s/'\"`:;,()]+/)+([^\\s/'\"`:;,()]+)");

  private ClientMessages() {}

  /** {@code message} without internals; never null. */
  public static String forClient(String message) {
    if (message == null || message.isEmpty()) {
      return "";
    }
    String cleaned = SOURCE_LOCATION.matcher(message).replaceAll("");
    cleaned = CPP_SIGNATURE.matcher(cleaned).replaceAll("");
    cleaned = CLASS_NAME.matcher(cleaned).replaceAll("");
    cleaned = METHOD_REFERENCE.matcher(cleaned).replaceAll("");
    cleaned = ABSOLUTE_PATH.matcher(cleaned).replaceAll("$1");
    cleaned = cleaned.replaceAll("[ \\t]{2,}", " ").strip();
    if (!cleaned.equals(message)) {
      LOG.debug("reply shortened for the client; full text: {}", message);
    }
    return cleaned.isEmpty() ? "the request failed; the server log has the details" : cleaned;
  }
}
