package dev.infera.server.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry over a temporary folder standing in for /dev/shm (the rules are the same). */
class SharedMemoryRegistryTest {
  @TempDir Path root;

  private SharedMemoryRegistry registry() {
    return new SharedMemoryRegistry(root);
  }

  private Path object(String name, int size) throws IOException {
    Path file = root.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
    return file;
  }

  private static void assertInvalid(Runnable call, String... mentions) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .message()
        .contains(mentions);
  }

  @Test
  void registeredRegionReadsAndWritesTheObject() throws IOException {
    Path file = object("data", 64);
    Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, java.nio.file.StandardOpenOption.WRITE);
    SharedMemoryRegistry registry = registry();
    registry.register("in", "/data", 2, 32);

    SharedMemoryRegion region = registry.get("in");
    assertThat(region.read(1, 3, "input 'X'")).containsExactly(4, 5, 6);
    region.write(4, 4, ByteBuffer.wrap(new byte[] {9, 9}), "output 'Y'");
    assertThat(Files.readAllBytes(file)[6]).isEqualTo((byte) 9);
    assertThat(registry.status(Optional.empty()))
        .containsExactly(new SharedMemoryRegistry.Status("in", "/data", 2, 32));
  }

  @Test
  void keysOutsideTheSharedMemoryFolderAreRefused() throws IOException {
    object("data", 64);
    Path outside = Files.createTempFile("outside", ".bin");
    Files.write(outside, new byte[64]);
    Files.createSymbolicLink(root.resolve("link"), outside);
    Files.createDirectory(root.resolve("dir"));
    SharedMemoryRegistry registry = registry();

    for (String key : new String[] {"/..", "/.", "/", "", "/dir"}) {
      assertInvalid(() -> registry.register("r", key, 0, 8), "'" + key + "'");
    }
    // A key that reads as a path is described, not echoed (replies show no paths).
    for (String key : new String[] {"/../data", "/a/b"}) {
      assertInvalid(
          () -> registry.register("r", key, 0, 8),
          "shared memory key with a '/' after the leading one is not a POSIX shared memory name");
    }
    assertInvalid(() -> registry.register("r", "/link", 0, 8), "names no shared memory object");
    assertInvalid(() -> registry.register("r", "/missing", 0, 8), "names no shared memory object");
    assertThat(registry.status(Optional.empty())).isEmpty();
    Files.delete(outside);
  }

  @Test
  void regionMustFitInTheObject() throws IOException {
    object("data", 64);
    SharedMemoryRegistry registry = registry();
    assertInvalid(() -> registry.register("r", "/data", 60, 8), "past the end", "64 bytes");
    assertInvalid(() -> registry.register("r", "/data", 65, 1), "past the end");
    assertInvalid(() -> registry.register("r", "/data", 0, 0), "byte_size > 0");
    assertInvalid(() -> registry.register("r", "/data", -1, 8), "offset must be >= 0");
  }

  @Test
  void namesAreUniqueUntilUnregistered() throws IOException {
    object("data", 64);
    SharedMemoryRegistry registry = registry();
    registry.register("r", "/data", 0, 64);
    assertThatThrownBy(() -> registry.register("r", "/data", 0, 8))
        .isInstanceOfSatisfying(
            InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
        .hasMessageContaining("already registered");
    registry.unregister("r");
    registry.unregister("never-registered");
    registry.register("r", "/data", 0, 8);
    registry.unregisterAll();
    assertThat(registry.status(Optional.empty())).isEmpty();
  }

  @Test
  void unknownRegionIsInvalidInARequestAndNotFoundForItsStatus() {
    SharedMemoryRegistry registry = registry();
    assertInvalid(() -> registry.get("nope"), "'nope' is not registered");
    assertThatThrownBy(() -> registry.status(Optional.of("nope")))
        .isInstanceOfSatisfying(
            InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining("'nope' is not registered");
  }

  @Test
  void accessesAreCheckedAgainstTheRegion() throws IOException {
    object("data", 64);
    SharedMemoryRegistry registry = registry();
    registry.register("r", "/data", 0, 16);
    SharedMemoryRegion region = registry.get("r");
    assertInvalid(() -> region.read(17, 1, "input 'X'"), "input 'X'", "past the end", "'r'");
    assertInvalid(() -> region.read(8, 9, "input 'X'"), "past the end");
    assertInvalid(
        () -> region.write(0, 4, ByteBuffer.allocate(8), "output 'Y'"),
        "output 'Y' needs 8 bytes",
        "shared_memory_byte_size is 4");
  }

  @Test
  void regionHeldByARequestOutlivesItsUnregistration() throws IOException {
    Path file = object("data", 16);
    SharedMemoryRegistry registry = registry();
    registry.register("r", "/data", 0, 16);
    SharedMemoryRegion held = registry.get("r");
    registry.unregister("r");

    held.write(0, 4, ByteBuffer.wrap(new byte[] {7, 7, 7, 7}), "output 'Y'");
    assertThat(Files.readAllBytes(file)).startsWith(7, 7, 7, 7);
    assertInvalid(() -> registry.get("r"), "not registered");
  }

  @Test
  void objectTruncatedAfterRegistrationIsAnErrorNotACrash() throws IOException {
    Path file = object("data", 8192);
    SharedMemoryRegistry registry = registry();
    registry.register("r", "/data", 0, 8192);
    SharedMemoryRegion region = registry.get("r");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(0);
    }
    assertInvalid(() -> region.read(4096, 8, "input 'X'"), "now smaller than the registered");
  }
}
