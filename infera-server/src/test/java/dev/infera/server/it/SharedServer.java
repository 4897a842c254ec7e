package dev.infera.server.it;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;

/**
 * One real Infera server on free loopback ports, serving {@link TestRepository#standard()}, shared
 * by the protocol suites of this test JVM and closed when it exits.
 */
final class SharedServer {
  private static InferaServer server;

  private SharedServer() {}

  static synchronized InferaServer get() {
    if (server == null) {
      server = InferaServer.start(ServerOptions.onFreePorts(TestRepository.standard()));
      InferaServer started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "it-server-close"));
    }
    return server;
  }
}
