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

  /*
   * Every pattern below runs in time linear in the message: a message can echo a client's input
   * (a 100,000-character input name), and these run on the event loops. A match may start only
   * where a run of its characters starts (the look-behinds), and runs that can never be given back
   * usefully are possessive ({@code ++}, {@code *+}); otherwise each start inside a long run would
   * scan the rest of it again. Repeated groups are bounded ({@code {1,64}}): Java matches a group's
   * repetitions by recursion, so an unbounded one overflows the stack on a long enough run (a class
   * name, a C++ name or a path has far fewer parts).
   */

  /** A fully qualified Java class name (and a following ": "), as exceptions print themselves. */
  private static final Pattern CLASS_NAME =
      Pattern.compile(
          "(?<![\\w.$])(?:com|org|io|java|javax|jdk|sun|ai|ml|dev|net|kotlin|scala)"
              + "\\.(?:[a-z_][a-z0-9_]*+\\.){1,64}+[A-Z][\\w$]*+(?:\\.[\\w$]++){0,64}+(?:\\(\\))?(?::\\s*+)?");

  /**
   * A native source location such as {@code /src/onnxruntime/core/graph/model.cc:123}, also right
   * after a colon ({@code failed:/src/...}), where the word before it stays.
   */
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("(?<![^\\s:])[^\\s:]*\\.(?:cc|cpp|cxx|c|h|hpp|cu|cuh)(?::\\d++){1,8}+\\s*+");

  /**
   * A C++ function signature, as native asserts print them: {@code void ns::f(int) }. The return
   * type never starts inside a file name ({@code model.onnx ns::f()} keeps {@code model.onnx}) and
   * never ends with a colon ({@code failed: ns::f()} keeps {@code failed:}).
   */
  private static final Pattern CPP_SIGNATURE =
      Pattern.compile(
          "(?:(?<![\\w:<>*&,.])[\\w:<>*&,]++(?<!:)\\s++)?(?<![\\w:])\\w++(?:::[\\w~<>]++){1,64}+"
              + "\\([^()]*+\\)\\s*+(?:const\\s*+)?");

  /** A library method reference in backquotes, as Jackson names its limits. */
  private static final Pattern METHOD_REFERENCE = Pattern.compile(",?(?<!\\s)\\s*+from `[^`]*+`");

  /**
   * An absolute path of two or more segments: the server's own files. The protocol's own paths
   * ({@code /v2/...}) and the path part of URLs are not files and stay.
   */
  private static final Pattern ABSOLUTE_PATH =
      Pattern.compile("(?<![\\w.:/])/(?!v2/)(?:[^\\s/'\"`:;,()]++/){1,64}([^\\s/'\"`:;,()]++)");

  /** The longest message a client gets, in characters, before the note of what was cut. */
  static final int MAX_LENGTH = 4096;

  private ClientMessages() {}

  /** {@code message} without internals; never null. */
  public static String forClient(String message) {
    if (message == null || message.isEmpty()) {
      return "";
    }
    String cleaned = withoutInternals(shortened(message));
    if (!cleaned.equals(message)) {
      LOG.debug("reply shortened for the client; full text: {}", message);
    }
    return cleaned.isEmpty() ? "the request failed; the server log has the details" : cleaned;
  }

  /** {@code message} without class names, native locations and signatures, and server paths. */
  static String withoutInternals(String message) {
    String cleaned = SOURCE_LOCATION.matcher(message).replaceAll(" ");
    cleaned = CPP_SIGNATURE.matcher(cleaned).replaceAll("");
    cleaned = CLASS_NAME.matcher(cleaned).replaceAll("");
    cleaned = METHOD_REFERENCE.matcher(cleaned).replaceAll("");
    cleaned = ABSOLUTE_PATH.matcher(cleaned).replaceAll("$1");
    return cleaned.replaceAll("[ \\t]{2,}", " ").strip();
  }

  /**
   * {@code message} cut to {@value #MAX_LENGTH} characters, saying how much was cut: an error that
   * echoes a huge value from the request does not echo all of it back.
   */
  private static String shortened(String message) {
    if (message.length() <= MAX_LENGTH) {
      return message;
    }
    return message.substring(0, MAX_LENGTH)
        + " ... ("
        + (message.length() - MAX_LENGTH)
        + " more characters)";
  }
}
