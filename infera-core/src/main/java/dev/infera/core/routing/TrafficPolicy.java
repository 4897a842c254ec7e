package dev.infera.core.routing;

import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.TensorContract;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a model's requests that name no version are shared out.
 *
 * @param split the variants and their weights, summing to 100; the first is the stable variant,
 *     which failed answers fall back to
 * @param sticky whether a request's routing key always picks the same variant (requests without a
 *     key are spread at random)
 * @param shadow where copies of requests go, if anywhere
 * @param fallback whether a failed answer of a non-stable variant is retried once on the stable one
 */
public record TrafficPolicy(
    List<Variant> split, boolean sticky, Optional<Shadow> shadow, boolean fallback) {

  public TrafficPolicy {
    split = List.copyOf(split);
    if (split.isEmpty()) {
      throw new InferenceException(ErrorCode.INVALID_ARGUMENT, "a traffic split needs a variant");
    }
    int sum = split.stream().mapToInt(Variant::weight).sum();
    if (sum != 100) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "traffic split weights "
              + split.stream().map(Variant::weight).toList()
              + " sum to "
              + sum
              + " (expected 100)");
    }
    Set<String> seen = new HashSet<>();
    for (Variant variant : split) {
      if (!seen.add(variant.model() + ":" + variant.version())) {
        throw new InferenceException(
            ErrorCode.INVALID_ARGUMENT,
            "traffic split names model '"
                + variant.model()
                + "' version "
                + variant.version()
                + " twice");
      }
    }
  }

  /**
   * The policy in words, for the rollout history: {@code "split 90 % to 'fraud' version 1, 10 % to
   * 'fraud' version 2; sticky; shadow 20 % to 'fraud' version 3; fallback"}.
   */
  public String describe() {
    StringBuilder text = new StringBuilder("split ");
    for (int i = 0; i < split.size(); i++) {
      Variant variant = split.get(i);
      text.append(i == 0 ? "" : ", ")
          .append(variant.weight())
          .append(" % to '")
          .append(variant.model())
          .append("' version ")
          .append(variant.version());
    }
    if (sticky) {
      text.append("; sticky");
    }
    shadow.ifPresent(
        s ->
            text.append("; shadow ")
                .append(
                    new BigDecimal(s.fraction() * 100)
                        .round(new MathContext(4))
                        .stripTrailingZeros()
                        .toPlainString())
                .append(" % to '")
                .append(s.model())
                .append("' version ")
                .append(s.version()));
    if (fallback) {
      text.append("; fallback");
    }
    return text.toString();
  }

  /** All traffic to one version of the model, with no shadow. */
  public static TrafficPolicy pinned(String model, long version) {
    return new TrafficPolicy(
        List.of(new Variant(model, version, 100)), false, Optional.empty(), false);
  }

  /**
   * The first variant, or else the shadow, that names a model other than {@code model}, as messages
   * name a version; empty when the policy only routes among {@code model}'s own versions.
   */
  public Optional<String> otherModel(String model) {
    return split.stream()
        .filter(variant -> !variant.model().equals(model))
        .map(variant -> RoutedVersion.label(variant.model(), variant.version()))
        .findFirst()
        .or(
            () ->
                shadow
                    .filter(s -> !s.model().equals(model))
                    .map(s -> RoutedVersion.label(s.model(), s.version())));
  }

  /** The stable variant: the first of the split. */
  public Variant stable() {
    return split.get(0);
  }

  /**
   * Checks that every variant and the shadow target are READY in the table and take the same inputs
   * and outputs as the policy's model.
   *
   * @throws InferenceException NOT_FOUND naming a missing model or version, INVALID_ARGUMENT naming
   *     a variant whose signature differs
   */
  public void checkAgainst(RoutingTable table, String model) {
    RoutedVersion reference = readyIn(table, model, split.get(0).model(), split.get(0).version());
    for (Variant variant : split) {
      check(table, model, reference, variant.model(), variant.version());
    }
    if (shadow.isPresent()) {
      check(table, model, reference, shadow.get().model(), shadow.get().version());
    }
  }

  private static void check(
      RoutingTable table, String model, RoutedVersion reference, String target, long version) {
    RoutedVersion found = readyIn(table, model, target, version);
    if (!sameSignature(reference.contract(), found.contract())) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          RoutedVersion.label(target, version)
              + " takes or returns other tensors than "
              + RoutedVersion.label(reference.model(), reference.version())
              + " (variants of model '"
              + model
              + "' need the same inputs and outputs)");
    }
  }

  private static RoutedVersion readyIn(RoutingTable table, String model, String target, long v) {
    ModelRoutes routes =
        table
            .model(target)
            .orElseThrow(
                () ->
                    new InferenceException(
                        ErrorCode.NOT_FOUND,
                        "traffic policy of model '"
                            + model
                            + "': model '"
                            + target
                            + "' is not found"));
    return routes
        .readyVersion(v)
        .orElseThrow(
            () ->
                new InferenceException(
                    ErrorCode.NOT_FOUND,
                    "traffic policy of model '"
                        + model
                        + "': "
                        + RoutedVersion.label(target, v)
                        + " is not ready (ready versions: "
                        + routes.ready().stream().map(RoutedVersion::version).toList()
                        + ")"));
  }

  /** Whether two versions take and return the same tensors (names, types, shapes, batching). */
  static boolean sameSignature(ModelInterface a, ModelInterface b) {
    return a.batched() == b.batched()
        && sameTensors(a.inputs(), b.inputs())
        && sameTensors(a.outputs(), b.outputs());
  }

  private static boolean sameTensors(List<TensorContract> a, List<TensorContract> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      TensorContract x = a.get(i);
      TensorContract y = b.get(i);
      if (!x.name().equals(y.name())
          || x.dataType() != y.dataType()
          || !Arrays.equals(x.dims(), y.dims())) {
        return false;
      }
    }
    return true;
  }
}
