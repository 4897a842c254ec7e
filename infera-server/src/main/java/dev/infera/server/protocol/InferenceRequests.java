package dev.infera.server.protocol;

import dev.infera.core.InferenceRequest;
import dev.infera.core.OutputOptions;
import dev.infera.core.RequestOptions;
import dev.infera.core.RequestedOutput;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Assembles the core's {@link InferenceRequest} from what an adapter decoded from its envelope, the
 * same way for REST and gRPC: parameters become typed options, each requested output gets its
 * delivery options, and an output asked for twice is refused.
 */
public final class InferenceRequests {
  private InferenceRequests() {}

  /**
   * @param parameters the request-level parameters
   * @param headers looks a header (or gRPC metadata key) up by lower-case name; null when absent
   * @param edge adds what only the adapter knows (such as the call's deadline)
   */
  public static InferenceRequest assemble(
      String model,
      Optional<String> version,
      Optional<String> id,
      Map<String, Object> parameters,
      List<Tensor> inputs,
      List<OutputRequest> outputs,
      Function<String, String> headers,
      UnaryOperator<RequestOptions.Builder> edge) {
    if (model.isEmpty()) {
      throw InferenceException.invalidArgument("the model name is empty (expected a model's name)");
    }
    RequestOptions options =
        edge.apply(RequestParameters.requestOptions(parameters, headers)).build();
    List<RequestedOutput> requested = new ArrayList<>(outputs.size());
    Set<String> names = new HashSet<>();
    for (OutputRequest output : outputs) {
      if (!names.add(output.name())) {
        throw InferenceException.invalidArgument(
            "output '" + output.name() + "' is requested twice");
      }
      OutputOptions delivery =
          RequestParameters.outputOptions(
              output.name(), output.parameters(), options.outputDefaults());
      requested.add(new RequestedOutput(output.name(), delivery));
    }
    return new InferenceRequest(model, version, id, inputs, requested, options);
  }
}
