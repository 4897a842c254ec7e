package dev.infera.server.it;

import dev.infera.server.InferaServer;

/** The extension suite over gRPC. */
class GrpcExtensionIT extends ExtensionSuite {
  @Override
  protected ExtensionClient connect(InferaServer server) {
    return new GrpcExtensionClient(server.grpcPort());
  }

  @Override
  protected ProtocolClient connectProtocol(InferaServer server) {
    return new GrpcClient(server.grpcPort(), true);
  }
}
