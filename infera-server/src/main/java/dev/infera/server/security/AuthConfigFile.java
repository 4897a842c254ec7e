package dev.infera.server.security;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the auth file ({@code --auth-config}), YAML or JSON (by the {@code .json} extension):
 *
 * <pre>{@code
 * keys:
 *   - name: batch-scoring          # shown in logs, never the key
 *     sha256: 9f86d081...          # `infera auth hash-key` prints it
 *     roles: [infer, read]
 * }</pre>
 *
 * Strict: an unknown field, a malformed hash, an unknown role, a repeated name or hash, or a
 * missing field fails, with every problem listed at once.
 */
public final class AuthConfigFile {
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@:+-]{1,128}");
  private static final Set<String> ENTRY_FIELDS = Set.of("name", "sha256", "roles");

  private AuthConfigFile() {}

  /**
   * Reads and checks an auth file.
   *
   * @throws AuthConfigException naming every problem, or why the file could not be read
   */
  public static ApiKeyStore read(Path file) {
    JsonNode root;
    try {
      root = mapperFor(file).readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : "line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ": ";
      throw new AuthConfigException(
          file.toString(), List.of(where + oneLine(e.getOriginalMessage())));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new AuthConfigException(file.toString(), List.of("does not exist"));
    } catch (IOException e) {
      throw new AuthConfigException(
          file.toString(), List.of("cannot be read (" + e.getClass().getSimpleName() + ")"));
    }
    return parse(root, file.toString());
  }

  /**
   * A parser's message on one line: YAML's quotes the offending lines, indented, between what it
   * was parsing and what it expected; those two are kept ("while parsing a flow sequence: expected
   * ',' or ']', but got <stream end>").
   */
  private static String oneLine(String message) {
    if (message == null) {
      return "not valid YAML or JSON";
    }
    return java.util.Arrays.stream(message.split("\n"))
        .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
        .map(line -> line.replaceAll("\\s*\\[Source: [^\\]]*\\]", ""))
        .collect(java.util.stream.Collectors.joining(": "));
  }

  /** Checks an already parsed auth document; {@code source} names it in problems. */
  static ApiKeyStore parse(JsonNode root, String source) {
    List<String> problems = new ArrayList<>();
    List<ApiKey> keys = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new AuthConfigException(source, List.of("expected a mapping with a 'keys' list"));
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!field.equals("keys")) {
        problems.add("unknown field '" + field + "' (expected 'keys')");
      }
    }
    JsonNode list = root.get("keys");
    if (list == null || !list.isArray() || list.isEmpty()) {
      problems.add("'keys' must be a non-empty list of {name, sha256, roles}");
    } else {
      Set<String> seenNames = new HashSet<>();
      Set<String> seenHashes = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        entry(list.get(i), "keys[" + i + "]", seenNames, seenHashes, problems).ifPresent(keys::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new AuthConfigException(source, problems);
    }
    return new ApiKeyStore(keys);
  }

  private static Optional<ApiKey> entry(
      JsonNode node,
      String where,
      Set<String> seenNames,
      Set<String> seenHashes,
      List<String> problems) {
    if (!node.isObject()) {
      problems.add(where + ": expected a mapping {name, sha256, roles}");
      return Optional.empty();
    }
    int before = problems.size();
    for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!ENTRY_FIELDS.contains(field)) {
        problems.add(where + ": unknown field '" + field + "' (expected name, sha256, roles)");
      }
    }
    String name = text(node, "name", where, problems);
    if (name != null && !NAME.matcher(name).matches()) {
      problems.add(
          where + ": name '" + name + "' (expected 1 to 128 letters, digits or . _ @ : + -)");
    } else if (name != null && !seenNames.add(name)) {
      problems.add(where + ": name '" + name + "' is used by another key");
    }
    String hash = text(node, "sha256", where, problems);
    if (hash != null && !HEX_SHA256.matcher(hash).matches()) {
      problems.add(where + ": sha256 must be 64 hexadecimal digits (`infera auth hash-key`)");
    } else if (hash != null && !seenHashes.add(hash.toLowerCase(Locale.ROOT))) {
      problems.add(where + ": the same key hash appears in another entry");
    }
    Set<Role> roles = roles(node.get("roles"), where, problems);
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new ApiKey(name, HexFormat.of().parseHex(hash), roles));
  }

  private static String text(JsonNode node, String field, String where, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      problems.add(where + ": '" + field + "' must be a string");
      return null;
    }
    return value.asText();
  }

  private static Set<Role> roles(JsonNode value, String where, List<String> problems) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (value == null || !value.isArray() || value.isEmpty()) {
      problems.add(where + ": 'roles' must be a non-empty list of infer, read, admin");
      return roles;
    }
    for (JsonNode role : value) {
      Optional<Role> known = role.isTextual() ? Role.fromLabel(role.asText()) : Optional.empty();
      if (known.isEmpty()) {
        problems.add(where + ": unknown role " + role + " (expected infer, read or admin)");
      } else {
        roles.add(known.get());
      }
    }
    return roles;
  }

  private static ObjectMapper mapperFor(Path file) {
    ObjectMapper mapper =
        file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
            ? new ObjectMapper()
            : new ObjectMapper(new YAMLFactory());
    return mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }
}
