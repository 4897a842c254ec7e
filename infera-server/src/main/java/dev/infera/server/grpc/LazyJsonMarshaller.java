package dev.infera.server.grpc;

import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Armeria's gRPC-JSON marshaller ({@code application/grpc+json}, gRPC-Web JSON), built on the first
 * JSON message instead of when the service is built. Building it generates a marshaller class for
 * every message type of the service (Byte Buddy), which loaded about 2,400 classes and took seconds
 * of every start-up, although almost every client sends protobuf.
 *
 * <p>Thread-safe: the first caller builds the marshaller, others wait for it.
 */
final class LazyJsonMarshaller implements GrpcJsonMarshaller {
  private final ServiceDescriptor service;
  private volatile GrpcJsonMarshaller delegate;

  LazyJsonMarshaller(ServiceDescriptor service) {
    this.service = service;
  }

  @Override
  public <T> void serializeMessage(Marshaller<T> marshaller, T message, OutputStream os)
      throws IOException {
    delegate().serializeMessage(marshaller, message, os);
  }

  @Override
  public <T> T deserializeMessage(Marshaller<T> marshaller, InputStream is) throws IOException {
    return delegate().deserializeMessage(marshaller, is);
  }

  private GrpcJsonMarshaller delegate() {
    GrpcJsonMarshaller built = delegate;
    if (built == null) {
      synchronized (this) {
        built = delegate;
        if (built == null) {
          built = GrpcJsonMarshaller.of(service);
          delegate = built;
        }
      }
    }
    return built;
  }
}
