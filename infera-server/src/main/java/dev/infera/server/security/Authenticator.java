package dev.infera.server.security;

import dev.infera.spi.InferenceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a call may proceed, given the role its endpoint needs and the credentials it
 * carries ({@code Authorization: Bearer <key>}, the same for HTTP headers and gRPC metadata). Every
 * refusal is counted in {@value #FAILURES_METRIC}{@code {protocol, reason}} and logged at WARN with
 * the endpoint, the peer and (for a missing role) the key's name, never the key. Thread-safe.
 */
public final class Authenticator {
  /** The Prometheus name of the refusal counter. */
  public static final String FAILURES_METRIC = "infera_auth_failures_total";

  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  private static final String BEARER = "bearer ";

  /** Which frontend asked, for the metric's {@code protocol} label. */
  public enum Protocol {
    HTTP,
    GRPC
  }

  private final ApiKeyStore keys;
  private final Map<Protocol, Map<AuthFailure, Counter>> failures = new EnumMap<>(Protocol.class);

  public Authenticator(ApiKeyStore keys, MeterRegistry registry) {
    this.keys = Objects.requireNonNull(keys, "keys");
    for (Protocol protocol : Protocol.values()) {
      Map<AuthFailure, Counter> byReason = new EnumMap<>(AuthFailure.class);
      for (AuthFailure reason : AuthFailure.values()) {
        byReason.put(
            reason,
            Counter.builder("infera.auth.failures")
                .description("Calls refused for missing or invalid credentials or a missing role")
                .tag("protocol", protocol.name().toLowerCase(Locale.ROOT))
                .tag("reason", reason.label())
                .register(registry));
      }
      failures.put(protocol, byReason);
    }
  }

  /**
   * Checks a call.
   *
   * @param required the role the endpoint needs ({@link AccessPolicy}); empty: open
   * @param authorization the {@code Authorization} value, or null when absent
   * @param endpoint names the endpoint in the log, such as {@code POST /v2/models/m/infer}
   * @param peer the caller's address, for the log
   * @throws InferenceException UNAUTHENTICATED or PERMISSION_DENIED, with a message for the client
   */
  public void check(
      Optional<Role> required,
      String authorization,
      Protocol protocol,
      String endpoint,
      Object peer) {
    if (required.isEmpty()) {
      return;
    }
    if (authorization == null || authorization.isBlank()) {
      throw refuse(
          protocol,
          AuthFailure.MISSING_CREDENTIALS,
          "missing credentials: send the header 'Authorization: Bearer <key>'",
          endpoint,
          peer,
          null);
    }
    String value = authorization.strip();
    if (value.length() <= BEARER.length()
        || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw refuse(
          protocol,
          AuthFailure.MALFORMED_CREDENTIALS,
          "malformed Authorization header (expected 'Bearer <key>')",
          endpoint,
          peer,
          null);
    }
    Optional<ApiKey> key = keys.find(value.substring(BEARER.length()).strip());
    if (key.isEmpty()) {
      throw refuse(
          protocol, AuthFailure.INVALID_KEY, "the API key is not valid", endpoint, peer, null);
    }
    Role role = required.get();
    if (!key.get().grants(role)) {
      throw refuse(
          protocol,
          AuthFailure.MISSING_ROLE,
          "the API key lacks the '" + role.label() + "' role that " + endpoint + " needs",
          endpoint,
          peer,
          key.get().name());
    }
  }

  private InferenceException refuse(
      Protocol protocol,
      AuthFailure reason,
      String message,
      String endpoint,
      Object peer,
      String keyName) {
    failures.get(protocol).get(reason).increment();
    LOG.warn(
        "refused {} {} from {}: {}{}",
        protocol.name().toLowerCase(Locale.ROOT),
        printable(endpoint),
        peer,
        reason.label(),
        keyName == null ? "" : " (key '" + keyName + "')");
    return new InferenceException(reason.code(), message);
  }

  /** The endpoint as it may be logged: control characters from a client become '?'. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 256));
    for (int i = 0; i < text.length() && i < 256; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }
}
