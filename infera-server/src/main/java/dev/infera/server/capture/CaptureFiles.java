package dev.infera.server.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rotating JSON Lines files of payload capture: {@code capture-NNNNNN.jsonl} in one folder,
 * numbered upwards. Lines are appended to the newest file until it holds {@code maxFileBytes} or is
 * {@code maxFileAge} old; then the next number starts, and the oldest files go so that at most
 * {@code maxFiles} remain. After a restart the newest file is continued while it has room. Used by
 * the capture thread only.
 */
final class CaptureFiles implements AutoCloseable {
  private static final Pattern NAME = Pattern.compile("capture-(\\d{6,})\\.jsonl");

  private final CaptureSettings settings;
  private final Clock clock;
  private OutputStream out;
  private long index;
  private long bytes;
  private Instant opened;

  CaptureFiles(CaptureSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  static Path file(Path directory, long index) {
    return directory.resolve(String.format("capture-%06d.jsonl", index));
  }

  /** Appends one line (ending in a newline), starting a new file first when the current is full. */
  void append(byte[] line) throws IOException {
    if (out == null) {
      open();
    } else if (bytes > 0
        && (bytes + line.length > settings.maxFileBytes()
            || !clock.instant().isBefore(opened.plus(settings.maxFileAge())))) {
      rotate();
    }
    out.write(line);
    out.flush();
    bytes += line.length;
  }

  private void open() throws IOException {
    Files.createDirectories(settings.directory());
    List<Long> existing = indexes();
    if (!existing.isEmpty()) {
      long newest = existing.get(existing.size() - 1);
      Path file = file(settings.directory(), newest);
      long size = Files.size(file);
      if (size < settings.maxFileBytes()) {
        start(newest, size);
        return;
      }
      index = newest;
    }
    start(index + 1, 0);
  }

  private void rotate() throws IOException {
    close();
    start(index + 1, 0);
  }

  private void start(long number, long size) throws IOException {
    index = number;
    bytes = size;
    opened = clock.instant();
    out =
        Files.newOutputStream(
            file(settings.directory(), index),
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            StandardOpenOption.WRITE);
    List<Long> all = indexes();
    for (int i = 0; i < all.size() - settings.maxFiles(); i++) {
      Files.deleteIfExists(file(settings.directory(), all.get(i)));
    }
  }

  /** The numbers of the capture files in the folder, oldest first. */
  private List<Long> indexes() throws IOException {
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(settings.directory())) {
      for (Path file : files) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        if (matcher.matches()) {
          found.add(Long.parseLong(matcher.group(1)));
        }
      }
    }
    found.sort(null);
    return found;
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      OutputStream closing = out;
      out = null;
      closing.close();
    }
  }
}
