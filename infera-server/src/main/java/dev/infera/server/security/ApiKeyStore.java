package dev.infera.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys a server accepts, held as SHA-256 hashes only. Looking a key up hashes it and
 * compares the hash with every entry in constant time ({@link MessageDigest#isEqual}), without
 * stopping at a match, so that timing reveals neither the hash nor which entry matched. Immutable
 * and thread-safe.
 */
public final class ApiKeyStore {
  private final List<ApiKey> keys;

  public ApiKeyStore(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
    Set<String> names = new HashSet<>();
    for (ApiKey key : this.keys) {
      if (!names.add(key.name())) {
        throw new IllegalArgumentException("key name '" + key.name() + "' appears twice");
      }
    }
  }

  /** The entry whose hash matches the presented key, if any. */
  public Optional<ApiKey> find(String presentedKey) {
    byte[] hash = sha256(presentedKey);
    ApiKey found = null;
    for (ApiKey key : keys) {
      if (MessageDigest.isEqual(hash, key.sha256()) && found == null) {
        found = key;
      }
    }
    return Optional.ofNullable(found);
  }

  public List<ApiKey> keys() {
    return keys;
  }

  /** The SHA-256 hash of a key's UTF-8 bytes: what the auth file stores. */
  public static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
