package dev.infera.server.extension;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The system shared memory regions clients registered (Triton's system shared memory extension), by
 * name. A region is a POSIX shared memory object, named by its key {@code /name} and found under
 * the shared memory folder ({@code /dev/shm}), mapped by the server. Keys name one object directly
 * in that folder: no other slash, no {@code .} or {@code ..}, no link that leads elsewhere.
 *
 * <p>Thread-safe: guarded by this object's lock; regions themselves are thread-safe.
 */
public final class SharedMemoryRegistry {
  /** Linux's POSIX shared memory folder. */
  public static final Path DEV_SHM = Path.of("/dev/shm");

  private static final int MAX_KEY_LENGTH = 255;

  private final Path root;
  private final Map<String, SharedMemoryRegion> regions = new TreeMap<>();

  /** A registry of objects under {@code root}, {@link #DEV_SHM} on Linux. */
  public SharedMemoryRegistry(Path root) {
    this.root = root;
  }

  /** A region's name, key, offset and size, as the status call reports them. */
  public record Status(String name, String key, long offset, long byteSize) {}

  /**
   * Maps {@code byteSize} bytes from {@code offset} of the object {@code key} as region {@code
   * name}.
   *
   * @throws InferenceException ALREADY_EXISTS for a name already registered (as Triton);
   *     INVALID_ARGUMENT for a key outside the shared memory folder or not found there, or bytes
   *     past the end of the object
   */
  public synchronized void register(String name, String key, long offset, long byteSize) {
    if (name.isEmpty()) {
      throw InferenceException.invalidArgument("shared memory region name is empty");
    }
    if (regions.containsKey(name)) {
      throw new InferenceException(
          ErrorCode.ALREADY_EXISTS, "shared memory region '" + name + "' is already registered");
    }
    Path file = resolve(key);
    if (offset < 0 || byteSize <= 0) {
      throw InferenceException.invalidArgument(
          "shared memory region '"
              + name
              + "': offset must be >= 0 and byte_size > 0 (got offset "
              + offset
              + ", byte_size "
              + byteSize
              + ")");
    }
    if (byteSize > Integer.MAX_VALUE) {
      throw InferenceException.invalidArgument(
          "shared memory region '"
              + name
              + "': byte_size "
              + byteSize
              + " is larger than this server maps in one region (2 GiB - 1)");
    }
    regions.put(
        name,
        new SharedMemoryRegion(name, key, file, offset, map(name, key, file, offset, byteSize)));
  }

  private static MappedByteBuffer map(
      String name, String key, Path file, long offset, long byteSize) {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      if (offset > size || byteSize > size - offset) {
        throw InferenceException.invalidArgument(
            "shared memory region '"
                + name
                + "': "
                + byteSize
                + " bytes at offset "
                + offset
                + " are past the end of '"
                + key
                + "' ("
                + size
                + " bytes)");
      }
      return channel.map(FileChannel.MapMode.READ_WRITE, offset, byteSize);
    } catch (IOException e) {
      throw InferenceException.invalidArgument(
          "shared memory region '" + name + "': cannot map '" + key + "' for reading and writing");
    }
  }

  /** The object a key names, checked to be a regular file directly inside the root folder. */
  private Path resolve(String key) {
    String object = key.startsWith("/") ? key.substring(1) : key;
    if (object.isEmpty()
        || object.length() > MAX_KEY_LENGTH
        || object.contains("/")
        || object.indexOf('\0') >= 0
        || object.equals(".")
        || object.equals("..")) {
      // A key with more '/' reads as a path, which replies never show: it is described instead.
      String shown =
          object.contains("/") ? "with a '/' after the leading one" : "'" + printable(key) + "'";
      throw InferenceException.invalidArgument(
          "shared memory key "
              + shown
              + " is not a POSIX shared memory name (expected '/name': one name of up to "
              + MAX_KEY_LENGTH
              + " characters, no other '/')");
    }
    Path file = root.resolve(object);
    try {
      Path real = file.toRealPath();
      if (!real.getParent().equals(root.toRealPath())
          || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
        throw notFound(key);
      }
      return real;
    } catch (IOException e) {
      throw notFound(key);
    }
  }

  private static InferenceException notFound(String key) {
    return InferenceException.invalidArgument(
        "shared memory key '"
            + printable(key)
            + "' names no shared memory object (create it with shm_open first)");
  }

  private static String printable(String key) {
    String shown = key.length() > 64 ? key.substring(0, 64) + "..." : key;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }

  /** Removes one region; unknown names are ignored, as Triton does. Requests holding it go on. */
  public synchronized void unregister(String name) {
    regions.remove(name);
  }

  /** Removes every region. */
  public synchronized void unregisterAll() {
    regions.clear();
  }

  /**
   * The status of one region, or of all (empty name).
   *
   * @throws InferenceException NOT_FOUND for an unknown region (as Triton)
   */
  public synchronized List<Status> status(Optional<String> name) {
    if (name.isPresent()) {
      SharedMemoryRegion region = regions.get(name.get());
      if (region == null) {
        throw InferenceException.notFound(
            "shared memory region '" + name.get() + "' is not registered");
      }
      return List.of(status(region));
    }
    return regions.values().stream().map(SharedMemoryRegistry::status).toList();
  }

  private static Status status(SharedMemoryRegion region) {
    return new Status(region.name(), region.key(), region.offset(), region.byteSize());
  }

  /**
   * The region registered under {@code name}, for a request to hold until it is answered.
   *
   * @throws InferenceException INVALID_ARGUMENT for an unknown region
   */
  public synchronized SharedMemoryRegion get(String name) {
    SharedMemoryRegion region = regions.get(name);
    if (region == null) {
      throw InferenceException.invalidArgument(
          "shared memory region '" + name + "' is not registered");
    }
    return region;
  }
}
