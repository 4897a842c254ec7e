package dev.infera.server.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses rendered manifests with fabric8's model classes: each document becomes an object of the
 * class its apiVersion and kind name (a {@link GenericKubernetesResource} for custom resources),
 * and a field the model does not know (a typo, a field at the wrong level) is reported: fabric8
 * keeps such fields in {@code additionalProperties}, which this walks the object tree for.
 */
final class ManifestCheck {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ManifestCheck() {}

  /** The objects of a multi-document YAML stream, in order, typed. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      KubernetesResource resource = SERIALIZATION.unmarshal(document, KubernetesResource.class);
      if (!(resource instanceof HasMetadata object)) {
        throw new AssertionError("not a Kubernetes object: " + document);
      }
      objects.add(object);
    }
    return objects;
  }

  /**
   * Whether {@code infera} accepts these arguments: they are parsed by the real command line (an
   * unknown flag or a malformed value throws, naming it).
   */
  static void cliAccepts(List<String> args) {
    dev.infera.server.cli.InferaCommand.commandLine().parseArgs(args.toArray(String[]::new));
  }

  /** Paths of fields the typed model did not know, e.g. {@code spec.template.spec.containrs}. */
  static List<String> unknownFields(HasMetadata object) {
    if (object instanceof GenericKubernetesResource) {
      return List.of();
    }
    List<String> unknown = new ArrayList<>();
    walk(object, object.getKind(), unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
    return unknown;
  }

  private static void walk(Object value, String path, List<String> unknown, Set<Object> seen) {
    if (value == null || !seen.add(value)) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> walk(item, path + "." + key, unknown, seen));
      return;
    }
    if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getClass")) {
        continue;
      }
      Object field = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(key -> unknown.add(path + "." + key));
        }
      } else {
        walk(field, path + "." + uncapitalize(getter.getName().substring(3)), unknown, seen);
      }
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null;
    }
  }

  private static String uncapitalize(String name) {
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
