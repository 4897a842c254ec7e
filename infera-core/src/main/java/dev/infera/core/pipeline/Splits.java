package dev.infera.core.pipeline;

import dev.infera.spi.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Steps that split a request's rows: a cascade (only the rows an earlier level is unsure of go to
 * the step; its answers replace those rows of the earlier answer) and a router (each row goes to
 * the model its key picks). Answers come back in the request's row order. Stateless.
 */
final class Splits {
  private Splits() {}

  static CompletableFuture<Map<String, Tensor>> cascade(
      PipelineRun run,
      PipelineStep step,
      Map<String, Tensor> inputs,
      Map<String, Optional<Tensor>> values) {
    Condition condition = step.policy().cascade().get();
    Optional<Tensor> confidence = values.get(condition.tensor());
    List<String> outputs = step.outputMap().keySet().stream().sorted().toList();
    List<String> over =
        step.policy().cascadeOver().isEmpty()
            ? List.of(condition.tensor())
            : step.policy().cascadeOver();
    if (confidence.isEmpty() || over.stream().anyMatch(t -> values.get(t).isEmpty())) {
      return run.attempt(step, step.model(), step.version(), inputs, PipelineRun.rowsOf(inputs));
    }
    double[] best = Rows.rowMax(confidence.get());
    List<Integer> up = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    for (int r = 0; r < best.length; r++) {
      (condition.test(best[r]) ? up : kept).add(r);
    }
    int total = best.length;
    run.report()
        .cascade(
            step.label() + ": " + up.size() + " of " + total + " rows where " + condition,
            up.size());
    run.meters().answered(step, "cascade_kept", kept.size());
    run.trace(step).cascade(up.size());
    Map<String, Tensor> base = new HashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      String tensor = over.get(Math.min(i, over.size() - 1));
      base.put(outputs.get(i), values.get(tensor).get());
    }
    if (up.isEmpty()) {
      Map<String, Tensor> answers = new HashMap<>();
      base.forEach((output, tensor) -> answers.put(output, tensor.withName(output)));
      return CompletableFuture.completedFuture(answers);
    }
    int[] upRows = toArray(up);
    int[] keptRows = toArray(kept);
    Map<String, Tensor> taken = new TreeMap<>();
    inputs.forEach((name, tensor) -> taken.put(name, Rows.take(tensor, upRows)));
    return run.attempt(step, step.model(), step.version(), taken, upRows.length)
        .thenApply(
            answers -> {
              run.meters().answered(step, "model", upRows.length);
              Map<String, Tensor> merged = new HashMap<>();
              base.forEach(
                  (output, earlier) -> {
                    Tensor answer = answers.get(output);
                    merged.put(
                        output,
                        answer == null
                            ? earlier.withName(output)
                            : Rows.assemble(
                                output,
                                total,
                                List.of(keptRows, upRows),
                                List.of(Rows.take(earlier, keptRows), answer)));
                  });
              return merged;
            });
  }

  static CompletableFuture<Map<String, Tensor>> route(
      PipelineRun run,
      PipelineStep step,
      Map<String, Tensor> inputs,
      Map<String, Optional<Tensor>> values) {
    Optional<Tensor> key = values.get(step.policy().routeBy().get());
    double[] keys =
        key.isPresent() ? Rows.rowFirst(key.get()) : new double[PipelineRun.rowsOf(inputs)];
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int r = 0; r < keys.length; r++) {
      String model =
          key.isPresent()
              ? step.policy().routes().getOrDefault(keys[r], step.model())
              : step.model();
      groups.computeIfAbsent(model, m -> new ArrayList<>()).add(r);
    }
    List<String> described = new ArrayList<>();
    groups.forEach(
        (model, rows) -> described.add("model '" + model + "' " + rows.size() + " rows"));
    run.report().route(step.label() + ": " + String.join(", ", described));
    groups.keySet().forEach(run.trace(step)::routed);
    List<String> models = new ArrayList<>(groups.keySet());
    List<int[]> rowSets = new ArrayList<>();
    List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>();
    for (String model : models) {
      int[] rows = toArray(groups.get(model));
      rowSets.add(rows);
      Map<String, Tensor> part = inputs;
      if (models.size() > 1) {
        part = new TreeMap<>();
        for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
          part.put(input.getKey(), Rows.take(input.getValue(), rows));
        }
      }
      Optional<String> version = model.equals(step.model()) ? step.version() : Optional.empty();
      answers.add(
          run.attempt(step, model, version, part, rows.length)
              .thenApply(
                  outputs -> {
                    run.meters().answered(step, "route:" + model, rows.length);
                    return outputs;
                  }));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              if (answers.size() == 1) {
                return answers.get(0).join();
              }
              Map<String, Tensor> merged = new HashMap<>();
              for (String output : step.outputMap().keySet()) {
                List<Tensor> parts = new ArrayList<>();
                for (CompletableFuture<Map<String, Tensor>> answer : answers) {
                  Tensor part = answer.join().get(output);
                  if (part == null) {
                    return Map.<String, Tensor>of(); // a soft part failed: the output is absent
                  }
                  parts.add(part);
                }
                merged.put(output, Rows.assemble(output, keys.length, rowSets, parts));
              }
              return merged;
            });
  }

  private static int[] toArray(List<Integer> rows) {
    return rows.stream().mapToInt(Integer::intValue).toArray();
  }
}
