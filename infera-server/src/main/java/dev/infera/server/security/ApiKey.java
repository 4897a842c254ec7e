package dev.infera.server.security;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of the auth file: a key known only by its SHA-256 hash, a name for logs and the roles
 * it grants.
 *
 * @param name identifies the key in logs (never the key itself)
 * @param sha256 the SHA-256 hash of the key's UTF-8 bytes, 32 bytes
 * @param roles what the key may do; may be empty (a key that authenticates but may do nothing)
 */
public record ApiKey(String name, byte[] sha256, Set<Role> roles) {
  public static final int HASH_BYTES = 32;

  public ApiKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
    if (sha256.length != HASH_BYTES) {
      throw new IllegalArgumentException(
          "key '" + name + "': hash has " + sha256.length + " bytes (expected " + HASH_BYTES + ")");
    }
    sha256 = sha256.clone();
    roles = Set.copyOf(roles);
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  public boolean grants(Role role) {
    return roles.contains(role);
  }

  /** Shows the name, roles and hash, never anything from which the key could be recovered. */
  @Override
  public String toString() {
    return "ApiKey["
        + name
        + ", roles="
        + roles
        + ", sha256="
        + HexFormat.of().formatHex(sha256)
        + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiKey k
        && name.equals(k.name)
        && Arrays.equals(sha256, k.sha256)
        && roles.equals(k.roles);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(sha256), roles);
  }
}
