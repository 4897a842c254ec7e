package dev.infera.server.it;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;

/**
 * A second real server for this test JVM, serving {@link SlowQueueModel} with a queue delay of 3 s
 * so that a request stays queued while a test acts on it; closed when the JVM exits.
 */
final class SlowServer {
  private static InferaServer server;

  private SlowServer() {}

  static synchronized InferaServer get() {
    if (server == null) {
      server = InferaServer.start(ServerOptions.onFreePorts(SlowQueueModel.repository(3000, "")));
      InferaServer started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "it-slow-server-close"));
    }
    return server;
  }
}
