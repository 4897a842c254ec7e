package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.infera.core.ModelMetadata;
import dev.infera.core.ServerMetadata;
import dev.infera.spi.TensorSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes the server and model metadata documents of the protocol. */
final class MetadataEncoder {
  private MetadataEncoder() {}

  /** {@code {"live": true}}: the protocol's answer of a live server. */
  static final byte[] LIVE = "{\"live\":true}".getBytes(StandardCharsets.US_ASCII);

  /** {@code {"ready": true}}: the protocol's answer of a ready server. */
  static final byte[] READY = "{\"ready\":true}".getBytes(StandardCharsets.US_ASCII);

  /** {@code {"name", "ready": true}}: the protocol's answer of a ready model. */
  static byte[] modelReady(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("name", name);
      json.writeBooleanField("ready", true);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code {"name", "version", "extensions": [...]}}. */
  static byte[] server(ServerMetadata metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("name", metadata.name());
      json.writeStringField("version", metadata.version());
      writeStrings(json, "extensions", metadata.extensions());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code {"name", "versions", "platform", "inputs": [...], "outputs": [...]}}. */
  static byte[] model(ModelMetadata metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("name", metadata.name());
      writeStrings(json, "versions", metadata.versions());
      json.writeStringField("platform", metadata.platform());
      writeSpecs(json, "inputs", metadata.inputs());
      writeSpecs(json, "outputs", metadata.outputs());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeStrings(JsonGenerator json, String field, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }

  private static void writeSpecs(JsonGenerator json, String field, List<TensorSpec> specs)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (TensorSpec spec : specs) {
      json.writeStartObject();
      json.writeStringField("name", spec.name());
      json.writeStringField("datatype", spec.dataType().protocolName());
      json.writeArrayFieldStart("shape");
      for (long dim : spec.shape()) {
        json.writeNumber(dim);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
  }
}
