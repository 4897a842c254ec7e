package dev.infera.server.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.infera.server.TensorArbitraries;
import dev.infera.server.protocol.RawTensors;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every datatype survives the REST codecs: what the frontend writes as JSON {@code data} or as
 * binary tensor data, the request decoder reads back as the same tensor.
 */
class RestTensorRoundTripTest {

  @Provide
  Arbitrary<Tensor> textTensors() {
    return TensorArbitraries.tensors(List.of(DataType.values()), true);
  }

  @Provide
  Arbitrary<Tensor> anyTensors() {
    return TensorArbitraries.tensors(List.of(DataType.values()), false);
  }

  @Property(tries = 400)
  void jsonDataRoundTrips(@ForAll("textTensors") Tensor tensor) throws IOException {
    byte[] body = request(tensor, json -> JsonTensorWriter.writeData(json, tensor), -1);

    DecodedRequest decoded = InferRequestDecoder.decode(body, 0, body.length);

    TensorArbitraries.assertSameValues(tensor, decoded.inputs().get(0).tensor());
  }

  @Property(tries = 400)
  void binaryDataRoundTrips(@ForAll("anyTensors") Tensor tensor) throws IOException {
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    RawTensors.write(tensor, binary);
    assertThat((long) binary.size()).isEqualTo(RawTensors.size(tensor));
    byte[] json = request(tensor, null, binary.size());
    byte[] body = Arrays.copyOf(json, json.length + binary.size());
    System.arraycopy(binary.toByteArray(), 0, body, json.length, binary.size());

    int jsonLength = BinaryFraming.jsonLength(Integer.toString(json.length), body.length);
    DecodedRequest decoded = InferRequestDecoder.decode(body, 0, jsonLength);
    List<Tensor> inputs = BinaryFraming.attach(decoded.inputs(), body, jsonLength, body.length);

    TensorArbitraries.assertSameBits(tensor, inputs.get(0));
  }

  private interface DataWriter {
    void write(JsonGenerator json) throws IOException;
  }

  /** A one-input request: JSON data from {@code data}, or a binary_data_size of {@code size}. */
  private static byte[] request(Tensor tensor, DataWriter data, long binarySize)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("inputs");
      json.writeStartObject();
      json.writeStringField("name", tensor.name());
      json.writeStringField("datatype", tensor.dataType().protocolName());
      json.writeArrayFieldStart("shape");
      for (long dim : tensor.shape()) {
        json.writeNumber(dim);
      }
      json.writeEndArray();
      if (data != null) {
        json.writeFieldName("data");
        data.write(json);
      } else {
        json.writeObjectFieldStart("parameters");
        json.writeNumberField(JsonInputReader.BINARY_DATA_SIZE, binarySize);
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeEndArray();
      json.writeEndObject();
    }
    return out.toByteArray();
  }
}
