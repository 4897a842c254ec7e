package dev.infera.server.it;

import dev.infera.spi.Tensor;
import java.util.List;
import java.util.Map;

/** One way of talking KServe v2 to the server: REST JSON, REST binary, gRPC typed, gRPC raw. */
interface ProtocolClient extends AutoCloseable {

  /** What to send. {@code version} may be null; {@code outputs} empty asks for every output. */
  record Call(
      String model,
      String version,
      String id,
      List<Tensor> inputs,
      List<String> outputs,
      Map<String, Object> parameters) {
    static Call of(String model, List<Tensor> inputs) {
      return new Call(model, null, null, inputs, List.of(), Map.of());
    }

    Call withId(String newId) {
      return new Call(model, version, newId, inputs, outputs, parameters);
    }

    Call withVersion(String newVersion) {
      return new Call(model, newVersion, id, inputs, outputs, parameters);
    }

    Call withOutputs(List<String> names) {
      return new Call(model, version, id, inputs, names, parameters);
    }
  }

  /** What came back. On failure only {@code outcome} and {@code message} are set. */
  record Reply(
      Outcome outcome,
      String message,
      String modelName,
      String modelVersion,
      String id,
      List<Tensor> outputs) {
    static Reply failure(Outcome outcome, String message) {
      return new Reply(outcome, message, null, null, null, List.of());
    }

    Tensor output(String name) {
      return outputs.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
  }

  /** Model metadata, reduced to what both transports carry. */
  record Metadata(
      Outcome outcome,
      String message,
      String name,
      List<String> versions,
      String platform,
      List<String> inputs,
      List<String> outputs) {}

  Reply infer(Call call);

  Metadata metadata(String model, String version);

  boolean serverLive();

  boolean serverReady();

  /** Whether the model is ready, or the failure outcome for an unknown model. */
  Outcome modelReady(String model, String version);

  @Override
  void close();
}
