package dev.infera.server.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.infera.server.TensorArbitraries;
import dev.infera.server.protocol.RawTensors;
import dev.infera.server.protocol.TensorShapes;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every datatype survives the gRPC codecs: typed {@code contents} for the types that have a typed
 * field (all but FP16 and BF16), and {@code raw_*_contents} for all.
 */
class GrpcTensorRoundTripTest {

  @Provide
  Arbitrary<Tensor> typedTensors() {
    return TensorArbitraries.tensors(
        Arrays.stream(DataType.values()).filter(TypedContents::isRepresentable).toList(), false);
  }

  @Provide
  Arbitrary<Tensor> anyTensors() {
    return TensorArbitraries.tensors(List.of(DataType.values()), false);
  }

  @Property(tries = 400)
  void typedContentsRoundTrip(@ForAll("typedTensors") Tensor tensor) {
    Tensor decoded =
        TypedContents.decode(
            tensor.name(), tensor.dataType(), tensor.shape(), TypedContents.encode(tensor));

    TensorArbitraries.assertSameValues(tensor, decoded);
  }

  @Property(tries = 400)
  void rawContentsRoundTrip(@ForAll("anyTensors") Tensor tensor) {
    Tensor decoded =
        RawTensors.decode(
            tensor.name(),
            tensor.dataType(),
            tensor.shape(),
            UnsafeByteOperations.unsafeWrap(RawTensors.encode(tensor)).asReadOnlyByteBuffer(),
            "raw contents",
            TensorShapes.UNLIMITED);

    TensorArbitraries.assertSameBits(tensor, decoded);
  }
}
