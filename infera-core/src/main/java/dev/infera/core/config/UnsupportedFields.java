package dev.infera.core.config;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.infera.core.config.proto.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names the configuration fields that are set but that Infera does not act on yet; see {@link
 * ModelConfigValidator#unsupportedFields}.
 *
 * <p>Infera acts on: {@code name}, {@code platform}, {@code backend}, {@code max_batch_size},
 * {@code version_policy}, the {@code name}, {@code data_type}, {@code dims} and {@code reshape} of
 * each {@code input} and {@code output}, the {@code name}, {@code kind} and {@code count} of each
 * {@code instance_group}, {@code dynamic_batching}, {@code parameters}, {@code
 * default_model_filename}, {@code model_warmup}, {@code optimization.graph}, {@code response_cache}
 * and {@code ensemble_scheduling.step}. Any other field that is set is reported by its dotted path,
 * such as {@code instance_group.host_policy}. Stateless and safe from any thread.
 */
final class UnsupportedFields {
  /**
   * Paths Infera acts on. A path maps to the sub-fields it acts on, or to an empty set when it acts
   * on the whole field.
   */
  private static final Map<String, Set<String>> SUPPORTED =
      Map.ofEntries(
          Map.entry("name", Set.of()),
          Map.entry("platform", Set.of()),
          Map.entry("backend", Set.of()),
          Map.entry("max_batch_size", Set.of()),
          Map.entry("version_policy", Set.of()),
          Map.entry("input", Set.of("name", "data_type", "dims", "reshape")),
          Map.entry("output", Set.of("name", "data_type", "dims", "reshape", "label_filename")),
          Map.entry("instance_group", Set.of("name", "kind", "count", "gpus")),
          Map.entry("dynamic_batching", Set.of()),
          Map.entry("parameters", Set.of()),
          Map.entry("default_model_filename", Set.of()),
          Map.entry("model_warmup", Set.of()),
          Map.entry("optimization", Set.of("graph")),
          Map.entry("response_cache", Set.of()),
          Map.entry("ensemble_scheduling", Set.of("step")));

  /** Refused by {@link ModelConfigValidator#problems}, so not listed as ignored. */
  private static final String REFUSED = "sequence_batching";

  private UnsupportedFields() {}

  /** The dotted paths of set fields Infera ignores, in schema order, each once; may be empty. */
  static List<String> of(ModelConfig config) {
    Set<String> found = new LinkedHashSet<>();
    collect(config, "", Set.of(), found);
    return List.copyOf(found);
  }

  /**
   * Adds the set fields of {@code message} that are not in {@code actedOn}; at the top level
   * ({@code prefix} empty) {@link #SUPPORTED} decides instead.
   */
  private static void collect(
      Message message, String prefix, Set<String> actedOn, Set<String> found) {
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      String path = prefix + field.getName();
      Set<String> subFields = prefix.isEmpty() ? SUPPORTED.get(field.getName()) : null;
      boolean supported = prefix.isEmpty() ? subFields != null : actedOn.contains(field.getName());
      if (path.equals(REFUSED)) {
        continue; // a problem, not a warning: ModelConfigValidator refuses it
      }
      if (!supported) {
        found.add(path);
      } else if (subFields != null && !subFields.isEmpty()) {
        for (Message child : messages(field, entry.getValue())) {
          collect(child, path + ".", subFields, found);
        }
      }
    }
  }

  private static List<Message> messages(FieldDescriptor field, Object value) {
    List<Message> messages = new ArrayList<>();
    if (field.isRepeated()) {
      for (Object element : (List<?>) value) {
        messages.add((Message) element);
      }
    } else {
      messages.add((Message) value);
    }
    return messages;
  }
}
