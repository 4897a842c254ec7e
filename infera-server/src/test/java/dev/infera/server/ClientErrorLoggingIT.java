package dev.infera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's bad request is answered, not logged with a stack trace: Armeria's report of the
 * exceptions responses carried (every 10 s, each with its trace; a declared body over the limit, an
 * unknown model's trace setting) is off on every endpoint, since Infera's REST and gRPC edges log
 * the failures a client did not cause themselves. The setting is read from the running endpoints:
 * its effect would take the report's 10-s period to show.
 */
class ClientErrorLoggingIT {

  @Test
  void noEndpointReportsTheExceptionsOfItsResponses(@TempDir Path repository) {
    try (InferaServer server = InferaServer.start(ServerOptions.onFreePorts(repository))) {
      for (Endpoints.Kind kind : Endpoints.Kind.values()) {
        assertThat(server.endpointConfig(kind).unloggedExceptionsReportIntervalMillis())
            .as(kind.label)
            .isZero();
      }
    }
  }
}
