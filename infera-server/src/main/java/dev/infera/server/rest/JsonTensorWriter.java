package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.infera.spi.HalfPrecision;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a tensor's elements as a flat JSON array straight from its buffer. Floats are written in
 * their shortest form that parses back to the same value; unsigned types as their unsigned value;
 * BOOL as true/false; BYTES as strings decoded as UTF-8 (invalid sequences become U+FFFD: clients
 * that need the exact bytes ask for binary data).
 */
public final class JsonTensorWriter {
  private JsonTensorWriter() {}

  public static void writeData(JsonGenerator json, Tensor tensor) throws IOException {
    json.writeStartArray();
    switch (tensor.dataType()) {
      case BYTES -> writeStrings(json, tensor);
      case FP32 -> writeFloats(json, tensor.data());
      case FP64 -> writeDoubles(json, tensor.data());
      case INT32 -> writeInts(json, tensor.data());
      case INT64 -> writeLongs(json, tensor.data());
      default -> writeOthers(json, tensor);
    }
    json.writeEndArray();
  }

  private static void writeFloats(JsonGenerator json, ByteBuffer data) throws IOException {
    for (int i = 0, n = data.remaining() / 4; i < n; i++) {
      json.writeNumber(data.getFloat(i * 4));
    }
  }

  private static void writeDoubles(JsonGenerator json, ByteBuffer data) throws IOException {
    for (int i = 0, n = data.remaining() / 8; i < n; i++) {
      json.writeNumber(data.getDouble(i * 8));
    }
  }

  private static void writeInts(JsonGenerator json, ByteBuffer data) throws IOException {
    for (int i = 0, n = data.remaining() / 4; i < n; i++) {
      json.writeNumber(data.getInt(i * 4));
    }
  }

  private static void writeLongs(JsonGenerator json, ByteBuffer data) throws IOException {
    for (int i = 0, n = data.remaining() / 8; i < n; i++) {
      json.writeNumber(data.getLong(i * 8));
    }
  }

  private static void writeStrings(JsonGenerator json, Tensor tensor) throws IOException {
    for (byte[] element : tensor.elements()) {
      json.writeString(new String(element, StandardCharsets.UTF_8));
    }
  }

  private static void writeOthers(JsonGenerator json, Tensor tensor) throws IOException {
    ByteBuffer data = tensor.data();
    long count = tensor.elementCount();
    for (long i = 0; i < count; i++) {
      int index = (int) i;
      switch (tensor.dataType()) {
        case BOOL -> json.writeBoolean(data.get(index) != 0);
        case UINT8 -> json.writeNumber(data.get(index) & 0xff);
        case INT8 -> json.writeNumber(data.get(index));
        case UINT16 -> json.writeNumber(data.getShort(index * 2) & 0xffff);
        case INT16 -> json.writeNumber(data.getShort(index * 2));
        case UINT32 -> json.writeNumber(data.getInt(index * 4) & 0xffff_ffffL);
        case UINT64 -> writeUnsigned(json, data.getLong(index * 8));
        case FP16 -> json.writeNumber(HalfPrecision.halfToFloat(data.getShort(index * 2)));
        case BF16 -> json.writeNumber(HalfPrecision.bfloat16ToFloat(data.getShort(index * 2)));
        default -> throw new IllegalStateException("unhandled type " + tensor.dataType());
      }
    }
  }

  private static void writeUnsigned(JsonGenerator json, long value) throws IOException {
    if (value >= 0) {
      json.writeNumber(value);
    } else {
      json.writeNumber(Long.toUnsignedString(value));
    }
  }
}
