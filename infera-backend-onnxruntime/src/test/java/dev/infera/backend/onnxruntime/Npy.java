package dev.infera.backend.onnxruntime;

import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the reference samples' {@code .npy} files (format versions 1-3, C order): little-endian
 * numbers ({@code <f4}, {@code <i4}...) and fixed-width NUL-padded byte strings ({@code |S<n>}).
 */
final class Npy {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

  private Npy() {}

  /** Reads {@code file} as a tensor named {@code name}. */
  static Tensor read(Path file, String name) {
    ByteBuffer bytes;
    try {
      bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.get() != (byte) 0x93 || bytes.get() != 'N') {
      throw new IllegalArgumentException(file + ": not an npy file");
    }
    bytes.position(6);
    int major = bytes.get();
    bytes.get();
    int headerLength = major == 1 ? Short.toUnsignedInt(bytes.getShort()) : bytes.getInt();
    byte[] headerBytes = new byte[headerLength];
    bytes.get(headerBytes);
    String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
    String descr = find(DESCR, header, file);
    if (find(FORTRAN, header, file).equals("True")) {
      throw new IllegalArgumentException(file + ": Fortran order is not supported");
    }
    long[] shape =
        Arrays.stream(find(SHAPE, header, file).split(","))
            .map(String::trim)
            .filter(dim -> !dim.isEmpty())
            .mapToLong(Long::parseLong)
            .toArray();
    ByteBuffer data = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (descr.startsWith("|S")) {
      return Tensor.ofBytes(name, shape, strings(data, Integer.parseInt(descr.substring(2))));
    }
    return Tensor.of(name, dataType(descr, file), shape, data);
  }

  private static List<byte[]> strings(ByteBuffer data, int width) {
    List<byte[]> elements = new ArrayList<>();
    while (data.remaining() >= width && width > 0) {
      byte[] element = new byte[width];
      data.get(element);
      int length = width;
      while (length > 0 && element[length - 1] == 0) {
        length--;
      }
      elements.add(Arrays.copyOf(element, length));
    }
    return elements;
  }

  private static DataType dataType(String descr, Path file) {
    return switch (descr) {
      case "<f4" -> DataType.FP32;
      case "<f8" -> DataType.FP64;
      case "<i4" -> DataType.INT32;
      case "<i8" -> DataType.INT64;
      default -> throw new IllegalArgumentException(file + ": unsupported dtype " + descr);
    };
  }

  private static String find(Pattern pattern, String header, Path file) {
    Matcher matcher = pattern.matcher(header);
    if (!matcher.find()) {
      throw new IllegalArgumentException(file + ": header lacks " + pattern);
    }
    return matcher.group(1);
  }
}
