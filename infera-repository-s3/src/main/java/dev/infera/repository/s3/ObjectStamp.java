package dev.infera.repository.s3;

import java.time.Instant;
import java.util.Objects;

/**
 * One object as a listing showed it.
 *
 * @param key the object's full key
 * @param bytes its size
 * @param eTag its entity tag, without quotes
 * @param lastModified when it was last written
 */
record ObjectStamp(String key, long bytes, String eTag, Instant lastModified) {
  ObjectStamp {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(eTag, "eTag");
    Objects.requireNonNull(lastModified, "lastModified");
    eTag = eTag.replace("\"", "");
  }
}
