package dev.infera.server.it;

import dev.infera.server.InferaServer;

/** The protocol suite over gRPC with typed {@code contents}. */
class GrpcProtocolIT extends ProtocolSuite {
  @Override
  protected ProtocolClient connect(InferaServer server) {
    return new GrpcClient(server.grpcPort(), false);
  }
}
