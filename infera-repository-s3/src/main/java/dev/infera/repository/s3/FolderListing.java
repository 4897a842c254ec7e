package dev.infera.repository.s3;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The objects of one folder that is mirrored as a whole: a version folder, or a model's own files
 * ({@code config.pbtxt} and {@code warmup/}). Two listings are equal when every object has the same
 * path, size and entity tag.
 *
 * @param files object by path relative to the folder ({@code /} separated)
 */
record FolderListing(SortedMap<String, ObjectStamp> files) {
  static final FolderListing EMPTY = new FolderListing(new TreeMap<>());

  FolderListing {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  /** A short digest of paths, sizes and entity tags: names the folder's mirror in the cache. */
  String digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, ObjectStamp> file : files.entrySet()) {
        String line =
            file.getKey() + "\0" + file.getValue().bytes() + "\0" + file.getValue().eTag() + "\n";
        sha.update(line.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof FolderListing that) || that.files.size() != files.size()) {
      return false;
    }
    for (Map.Entry<String, ObjectStamp> file : files.entrySet()) {
      ObjectStamp theirs = that.files.get(file.getKey());
      if (theirs == null
          || theirs.bytes() != file.getValue().bytes()
          || !theirs.eTag().equals(file.getValue().eTag())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return digest().hashCode();
  }
}
