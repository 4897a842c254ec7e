package dev.infera.server.security;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.infera.server.grpc.GrpcStatusMapping;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferRequest.InferInputTensor;
import dev.infera.spi.InferenceException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Checks each gRPC request message before the service sees it: any {@code model_name} field
 * (non-empty) and {@code model_version} field (non-empty) by {@link ClientNames}, and for {@code
 * ModelInfer} the element count of every input's shape against the per-tensor limit. A failing
 * message closes the call with INVALID_ARGUMENT; the service never sees it.
 */
final class GrpcRequestGuard implements ServerInterceptor {
  private final long maxTensorElements;

  GrpcRequestGuard(long maxTensorElements) {
    this.maxTensorElements = maxTensorElements;
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
    if (!(message instanceof Message proto)) {
      return;
    }
    String model = stringField(proto, "model_name");
    if (!model.isEmpty()) {
      ClientNames.checkModel(model);
    }
    String version = stringField(proto, "model_version");
    if (!version.isEmpty()) {
      ClientNames.checkVersion(version);
    }
    if (proto instanceof ModelInferRequest infer) {
      for (InferInputTensor input : infer.getInputsList()) {
        TensorLimits.checkShape(
            "input '" + ClientNames.shown(input.getName()) + "'",
            input.getShapeList(),
            maxTensorElements);
      }
    }
  }

  private static String stringField(Message message, String name) {
    FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
    if (field == null
        || field.getJavaType() != FieldDescriptor.JavaType.STRING
        || field.isRepeated()) {
      return "";
    }
    return (String) message.getField(field);
  }
}
