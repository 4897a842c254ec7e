package dev.infera.core.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders a pipeline's steps so that each comes after the producers of what it reads, reporting what
 * makes that impossible. Stateless.
 */
final class DagOrder {
  private DagOrder() {}

  /**
   * @param problems receives every problem found, each naming the step and tensor
   * @return the steps in dependency order (only the orderable ones when there are problems)
   */
  static List<PipelineStep> of(
      List<PipelineStep> steps, Set<String> inputs, Set<String> outputs, List<String> problems) {
    Map<String, PipelineStep> producers = new LinkedHashMap<>();
    for (PipelineStep step : steps) {
      for (Map.Entry<String, String> output : step.outputMap().entrySet()) {
        String tensor = output.getValue();
        PipelineStep earlier = producers.putIfAbsent(tensor, step);
        if (earlier != null) {
          problems.add(
              step.label()
                  + ": output '"
                  + output.getKey()
                  + "' writes tensor '"
                  + tensor
                  + "', which "
                  + earlier.label()
                  + " writes too (expected one producer per tensor)");
        } else if (inputs.contains(tensor)) {
          problems.add(
              step.label()
                  + ": output '"
                  + output.getKey()
                  + "' writes tensor '"
                  + tensor
                  + "', which is an ensemble input");
        }
      }
    }
    Map<PipelineStep, List<PipelineStep>> dependents = new HashMap<>();
    Map<PipelineStep, Integer> waiting = new HashMap<>();
    Set<String> read = new java.util.HashSet<>();
    for (PipelineStep step : steps) {
      int count = 0;
      for (Map.Entry<String, String> input : reads(step).entrySet()) {
        String tensor = input.getValue();
        read.add(tensor);
        PipelineStep producer = producers.get(tensor);
        if (producer != null) {
          dependents.computeIfAbsent(producer, p -> new ArrayList<>()).add(step);
          count++;
        } else if (!inputs.contains(tensor)) {
          problems.add(
              step.label()
                  + ": "
                  + input.getKey()
                  + " reads tensor '"
                  + tensor
                  + "', which no step produces and which is not an ensemble input");
        }
      }
      waiting.put(step, count);
    }
    for (String input : inputs) {
      if (!read.contains(input)) {
        problems.add("ensemble input '" + input + "' is not mapped to any step's input");
      }
    }
    for (String output : outputs) {
      if (!producers.containsKey(output)) {
        problems.add("ensemble output '" + output + "' is not mapped from any step's output");
      }
    }
    return topological(steps, dependents, waiting, problems);
  }

  /** What a step reads: its input map's tensors, then those its policy reads, by description. */
  private static Map<String, String> reads(PipelineStep step) {
    Map<String, String> reads = new LinkedHashMap<>();
    step.inputMap().forEach((input, tensor) -> reads.put("input '" + input + "'", tensor));
    List<String> policy = step.policy().readTensors();
    for (int i = 0; i < policy.size(); i++) {
      reads.put("its policy (" + (i + 1) + ")", policy.get(i));
    }
    return reads;
  }

  private static List<PipelineStep> topological(
      List<PipelineStep> steps,
      Map<PipelineStep, List<PipelineStep>> dependents,
      Map<PipelineStep, Integer> waiting,
      List<String> problems) {
    Deque<PipelineStep> ready = new ArrayDeque<>();
    steps.stream().filter(s -> waiting.get(s) == 0).forEach(ready::add);
    List<PipelineStep> ordered = new ArrayList<>();
    while (!ready.isEmpty()) {
      PipelineStep step = ready.poll();
      ordered.add(step);
      for (PipelineStep next : dependents.getOrDefault(step, List.of())) {
        if (waiting.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    for (PipelineStep step : steps) {
      if (!ordered.contains(step)) {
        problems.add(step.label() + ": " + cycleThrough(step, dependents));
      }
    }
    return ordered;
  }

  private static String cycleThrough(
      PipelineStep step, Map<PipelineStep, List<PipelineStep>> dependents) {
    for (PipelineStep next : dependents.getOrDefault(step, List.of())) {
      String tensor = sharedTensor(step, next);
      if (reaches(next, step, dependents, new java.util.HashSet<>())) {
        return "is part of a cycle: its tensor '"
            + tensor
            + "' feeds "
            + next.label()
            + ", which leads back to it";
      }
    }
    return "waits for a step that is part of a cycle";
  }

  private static String sharedTensor(PipelineStep producer, PipelineStep consumer) {
    for (String tensor : producer.outputMap().values()) {
      if (consumer.inputMap().containsValue(tensor)
          || consumer.policy().readTensors().contains(tensor)) {
        return tensor;
      }
    }
    return "?";
  }

  private static boolean reaches(
      PipelineStep from,
      PipelineStep target,
      Map<PipelineStep, List<PipelineStep>> dependents,
      Set<PipelineStep> seen) {
    if (from.equals(target)) {
      return true;
    }
    if (!seen.add(from)) {
      return false;
    }
    for (PipelineStep next : dependents.getOrDefault(from, List.of())) {
      if (reaches(next, target, dependents, seen)) {
        return true;
      }
    }
    return false;
  }
}
