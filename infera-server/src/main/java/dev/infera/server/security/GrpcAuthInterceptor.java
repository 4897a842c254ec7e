package dev.infera.server.security;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.server.grpc.GrpcStatusMapping;
import dev.infera.spi.InferenceException;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Optional;

/**
 * Checks every gRPC call's {@code authorization} metadata against the role {@link AccessPolicy}
 * gives its method, before the request message is delivered. Refusals close the call with
 * UNAUTHENTICATED or PERMISSION_DENIED.
 */
final class GrpcAuthInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Authenticator authenticator;

  GrpcAuthInterceptor(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Optional<Role> required = AccessPolicy.forGrpc(method);
    if (WarmupPass.grants(ServiceRequestContext.currentOrNull(), required)) {
      return next.startCall(call, headers);
    }
    try {
      authenticator.check(
          required, headers.get(AUTHORIZATION), Authenticator.Protocol.GRPC, method, peer(call));
    } catch (InferenceException e) {
      call.close(GrpcStatusMapping.toStatus(e), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  /**
   * The client's address, for the log line of a refusal: gRPC's transport attribute where the
   * binding sets it, else the request context's (Armeria's gRPC binding leaves the attribute
   * unset).
   */
  private static Object peer(ServerCall<?, ?> call) {
    Object address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (address != null) {
      return address;
    }
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    return ctx == null ? "an unknown address" : ctx.remoteAddress();
  }
}
