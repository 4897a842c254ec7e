package dev.infera.server.security;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.infera.server.grpc.GrpcStatusMapping;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferRequest.InferInputTensor;
import dev.infera.server.protocol.TensorShapes;
import dev.infera.spi.InferenceException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Set;

/**
 * Checks each gRPC request message of the KServe service ({@code inference} package) and of the
 * traffic service ({@code infera.traffic.v1}) before the service sees it: the model name ({@code
 * model_name}, or {@code name} in the metadata, readiness, config and statistics requests, or
 * {@code model} in the traffic requests) and version ({@code model_version} or {@code version}),
 * when not empty, by {@link ClientNames}; and for {@code ModelInfer} the element count of every
 * input's shape against the per-tensor limit. A failing message closes the call with
 * INVALID_ARGUMENT; the service never sees it.
 */
final class GrpcRequestGuard implements ServerInterceptor {
  private static final Set<String> CHECKED_PACKAGES = Set.of("inference", "infera.traffic.v1");
  private final TensorShapes shapes;

  GrpcRequestGuard(long maxTensorElements) {
    this.shapes = new TensorShapes(maxTensorElements);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        try {
          check(message);
        } catch (InferenceException e) {
          refused = true;
          call.close(GrpcStatusMapping.toStatus(e), new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!refused) {
          super.onReady();
        }
      }
    };
  }

  void check(Object message) {
    if (!(message instanceof Message proto)
        || !CHECKED_PACKAGES.contains(proto.getDescriptorForType().getFile().getPackage())) {
      return;
    }
    String model = stringField(proto, "model_name", "name", "model");
    if (!model.isEmpty()) {
      ClientNames.checkModel(model);
    }
    String version = stringField(proto, "model_version", "version");
    if (!version.isEmpty()) {
      ClientNames.checkVersion(version);
    }
    if (proto instanceof ModelInferRequest infer) {
      for (InferInputTensor input : infer.getInputsList()) {
        String owner = "input '" + ClientNames.shown(input.getName()) + "'";
        shapes.elementCount(owner, shapes.shape(owner, input.getShapeList()));
      }
    }
  }

  /** The first of the named top-level string fields the message has, or "". */
  private static String stringField(Message message, String... names) {
    for (String name : names) {
      FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
      if (field != null
          && field.getJavaType() == FieldDescriptor.JavaType.STRING
          && !field.isRepeated()) {
        return (String) message.getField(field);
      }
    }
    return "";
  }
}
