package dev.infera.repository.s3;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * When a folder in the bucket counts as completely uploaded: its listing (paths, sizes, entity
 * tags) was the same in at least two listings taken at least {@code settle} apart. S3 has no
 * multi-object transaction, so an uploader that is still writing a version's files changes the
 * listing between polls, and the version is not mirrored until it stops changing. A single object
 * is atomic in S3: it is either absent or whole.
 *
 * <p>Threading: confined to the repository's lock.
 */
final class SettleRule {
  private record Seen(FolderListing listing, Instant since) {}

  private final Clock clock;
  private final Duration settle;
  private final Map<String, Seen> seen = new HashMap<>();

  SettleRule(Clock clock, Duration settle) {
    if (settle.isNegative()) {
      throw new IllegalArgumentException("settle " + settle + " (expected >= 0)");
    }
    this.clock = clock;
    this.settle = settle;
  }

  /**
   * Records a listing of the folder {@code id}; true when an equal listing was recorded before, at
   * least {@code settle} ago.
   */
  boolean settled(String id, FolderListing listing) {
    Instant now = clock.instant();
    Seen before = seen.get(id);
    if (before == null || !before.listing().equals(listing)) {
      seen.put(id, new Seen(listing, now));
      return false;
    }
    return !now.isBefore(before.since().plus(settle));
  }

  /** Forgets the folders not listed any more. */
  void retain(Set<String> ids) {
    seen.keySet().retainAll(ids);
  }

  Duration settle() {
    return settle;
  }
}
