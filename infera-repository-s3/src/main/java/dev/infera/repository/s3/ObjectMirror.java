package dev.infera.repository.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Copies a listed folder from the bucket into the local cache, whole or not at all: the objects are
 * downloaded into a staging folder, each checked against the listing (size; MD5 against a
 * single-part upload's entity tag; the SDK checks stored CRC checksums), and the folder is then
 * renamed into place. A mirror is named by the listing's digest and never changes afterwards.
 *
 * <p>Threading: confined to the repository's lock.
 */
final class ObjectMirror {
  private static final Pattern MD5_ETAG = Pattern.compile("[0-9a-fA-F]{32}");

  private final S3Client client;
  private final String bucket;
  private final Path cache;

  ObjectMirror(S3Client client, String bucket, Path cache) {
    this.client = client;
    this.bucket = bucket;
    this.cache = cache;
  }

  /** The mirror of a folder: {@code <cache>/<model>/<name>-<digest>}, downloaded if missing. */
  Path mirror(String model, String name, FolderListing listing) {
    Path target = cache.resolve(model).resolve(name + "-" + listing.digest());
    if (Files.isDirectory(target)) {
      return target;
    }
    try {
      Path staging = Files.createDirectories(cache.resolve(".staging"));
      Path folder = Files.createTempDirectory(staging, model + "-" + name + "-");
      try {
        for (Map.Entry<String, ObjectStamp> file : listing.files().entrySet()) {
          download(file.getValue(), folder.resolve(file.getKey()));
        }
        Files.createDirectories(target.getParent());
        moveIntoPlace(folder, target);
      } finally {
        deleteTree(folder);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model cache " + cache, e);
    }
  }

  private void download(ObjectStamp object, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    MessageDigest md5 = md5();
    GetObjectRequest request =
        GetObjectRequest.builder()
            .bucket(bucket)
            .key(object.key())
            .ifMatch("\"" + object.eTag() + "\"")
            .checksumMode(ChecksumMode.ENABLED)
            .build();
    long bytes;
    try (InputStream in = new DigestInputStream(client.getObject(request), md5);
        OutputStream out = Files.newOutputStream(file)) {
      bytes = in.transferTo(out);
    }
    if (bytes != object.bytes()) {
      throw new ChangedWhileMirroring(
          object.key() + " has " + bytes + " bytes (listed: " + object.bytes() + ")");
    }
    if (MD5_ETAG.matcher(object.eTag()).matches()
        && !HexFormat.of().formatHex(md5.digest()).equalsIgnoreCase(object.eTag())) {
      throw new ChangedWhileMirroring(object.key() + ": MD5 differs from its entity tag");
    }
    Files.setLastModifiedTime(file, FileTime.from(object.lastModified()));
  }

  private static void moveIntoPlace(Path folder, Path target) throws IOException {
    try {
      Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // Mirrored meanwhile with the same digest: the same content.
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the cache's staging folder and " + target + " are on different file systems", e);
    }
  }

  /** Deletes a folder and everything below it, if it exists. */
  static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from the JDK", e);
    }
  }

  /** An object differed from its listing: it was rewritten while it was downloaded. */
  static final class ChangedWhileMirroring extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChangedWhileMirroring(String message) {
      super(message);
    }
  }
}
