package dev.infera.server.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/**
 * A protobuf message as Triton's HTTP endpoints print it: protobuf's JSON mapping with the proto
 * field names, every field printed (defaults too), and 64-bit integers as JSON numbers rather than
 * protobuf's strings (Triton rewrites them so, for example {@code "dims": [16]} and {@code
 * "max_batch_size": 8}).
 *
 * <p>Thread-safe.
 */
public final class TritonJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .preservingProtoFieldNames()
          .alwaysPrintFieldsWithNoPresence()
          .omittingInsignificantWhitespace();

  private TritonJson() {}

  /** The message as UTF-8 JSON. */
  public static byte[] print(MessageOrBuilder message) {
    try {
      JsonNode tree = MAPPER.readTree(PRINTER.print(message));
      numbersFor64BitFields(tree, message.getDescriptorForType());
      return MAPPER.writeValueAsBytes(tree);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("message cannot be printed as JSON", e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Walks {@code node} along the message's schema, turning 64-bit integer strings to numbers. */
  private static void numbersFor64BitFields(JsonNode node, Descriptor type) {
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      FieldDescriptor field = type.findFieldByName(entry.getKey());
      if (field == null) {
        continue;
      }
      JsonNode value = entry.getValue();
      if (field.isMapField()) {
        FieldDescriptor mapValue = field.getMessageType().findFieldByName("value");
        if (value instanceof ObjectNode map) {
          map.fields()
              .forEachRemaining(e -> map.set(e.getKey(), converted(e.getValue(), mapValue)));
        }
      } else if (value instanceof ArrayNode array) {
        for (int i = 0; i < array.size(); i++) {
          array.set(i, converted(array.get(i), field));
        }
      } else {
        entry.setValue(converted(value, field));
      }
    }
  }

  private static JsonNode converted(JsonNode value, FieldDescriptor field) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      numbersFor64BitFields(value, field.getMessageType());
      return value;
    }
    if (field.getJavaType() == FieldDescriptor.JavaType.LONG && value.isTextual()) {
      return MAPPER.getNodeFactory().numberNode(new BigInteger(value.asText()));
    }
    return value;
  }
}
