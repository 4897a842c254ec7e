package dev.infera.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.infera.server.security.Authenticator.Protocol;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AuthenticatorTest {
  private static final String READER_KEY = "r3ader-key-0123456789";
  private static final String ENDPOINT = "GET /v2/models/m";
  private static final Optional<Role> READ = Optional.of(Role.READ);
  private static final Optional<Role> ADMIN = Optional.of(Role.ADMIN);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Authenticator authenticator =
      new Authenticator(
          new ApiKeyStore(
              List.of(new ApiKey("reader", ApiKeyStore.sha256(READER_KEY), Set.of(Role.READ)))),
          registry);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(Authenticator.class);

  @BeforeEach
  void captureLogs() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
  }

  private InferenceException refusal(Optional<Role> role, String authorization) {
    return catchThrowableOfType(
        InferenceException.class,
        () -> authenticator.check(role, authorization, Protocol.HTTP, ENDPOINT, "10.0.0.1:5000"));
  }

  private double failures(String reason) {
    return registry
        .get("infera.auth.failures")
        .tag("protocol", "http")
        .tag("reason", reason)
        .counter()
        .count();
  }

  @Test
  void aKeyWithTheRolePasses() {
    assertThatCode(
            () -> authenticator.check(READ, "Bearer " + READER_KEY, Protocol.HTTP, ENDPOINT, "p"))
        .doesNotThrowAnyException();
  }

  @Test
  void theSchemeIsCaseInsensitive() {
    assertThatCode(
            () -> authenticator.check(READ, "bearer " + READER_KEY, Protocol.GRPC, ENDPOINT, "p"))
        .doesNotThrowAnyException();
  }

  @Test
  void anOpenEndpointNeedsNoCredentials() {
    assertThatCode(() -> authenticator.check(Optional.empty(), null, Protocol.HTTP, ENDPOINT, "p"))
        .doesNotThrowAnyException();
    assertThat(logs.list).isEmpty();
  }

  @Test
  void noCredentialsAreUnauthenticated() {
    InferenceException e = refusal(READ, null);

    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(e.getMessage()).contains("Authorization: Bearer");
    assertThat(failures("missing_credentials")).isEqualTo(1);
  }

  @Test
  void anotherSchemeIsMalformed() {
    InferenceException e = refusal(READ, "Basic dXNlcjpwYXNz");

    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(failures("malformed_credentials")).isEqualTo(1);
  }

  @Test
  void anUnknownKeyIsUnauthenticated() {
    InferenceException e = refusal(READ, "Bearer not-a-known-key");

    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(e.getMessage()).isEqualTo("the API key is not valid");
    assertThat(failures("invalid_key")).isEqualTo(1);
  }

  @Test
  void aKeyWithoutTheRoleIsDenied() {
    InferenceException e = refusal(ADMIN, "Bearer " + READER_KEY);

    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(e.getMessage()).contains("'admin'");
    assertThat(failures("missing_role")).isEqualTo(1);
  }

  @Test
  void refusalsAreLoggedWithoutTheKey() {
    refusal(READ, "Bearer not-a-known-key");
    refusal(ADMIN, "Bearer " + READER_KEY);

    assertThat(logs.list).hasSize(2);
    assertThat(logs.list)
        .allSatisfy(
            event ->
                assertThat(event.getFormattedMessage())
                    .contains(ENDPOINT)
                    .contains("10.0.0.1")
                    .doesNotContain("not-a-known-key")
                    .doesNotContain(READER_KEY));
    assertThat(logs.list.get(1).getFormattedMessage()).contains("key 'reader'");
  }

  @Test
  void controlCharactersFromTheClientAreNotLogged() {
    authenticatorRefuses("GET /v2/models/x\n2099-01-01 INFO forged line");

    assertThat(logs.list.get(0).getFormattedMessage()).doesNotContain("\n");
  }

  private void authenticatorRefuses(String endpoint) {
    catchThrowableOfType(
        InferenceException.class,
        () -> authenticator.check(READ, null, Protocol.HTTP, endpoint, "p"));
  }

  @Test
  void everyReasonIsRegisteredAtZeroForBothProtocols() {
    assertThat(registry.find("infera.auth.failures").counters()).hasSize(8);
  }
}
