package dev.infera.spi.conformance;

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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format versions 1 to 3, C order, little-endian) into tensors.
 * Fixed-width byte strings ({@code |S<n>}) become BYTES elements with their NUL padding removed.
 */
public final class NpyReader {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
  private static final Map<String, DataType> TYPES =
      Map.ofEntries(
          Map.entry("b1", DataType.BOOL),
          Map.entry("u1", DataType.UINT8),
          Map.entry("u2", DataType.UINT16),
          Map.entry("u4", DataType.UINT32),
          Map.entry("u8", DataType.UINT64),
          Map.entry("i1", DataType.INT8),
          Map.entry("i2", DataType.INT16),
          Map.entry("i4", DataType.INT32),
          Map.entry("i8", DataType.INT64),
          Map.entry("f2", DataType.FP16),
          Map.entry("f4", DataType.FP32),
          Map.entry("f8", DataType.FP64));

  private NpyReader() {}

  /** Reads a file into a tensor of that name. */
  public static Tensor read(Path file, String tensorName) {
    try {
      return parse(ByteBuffer.wrap(Files.readAllBytes(file)), tensorName, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Tensor parse(ByteBuffer content, String name, String source) {
    ByteBuffer buffer = content.order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[MAGIC.length];
    buffer.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException(source + ": not a .npy file");
    }
    int major = buffer.get() & 0xff;
    buffer.get();
    int headerLength = major == 1 ? buffer.getShort() & 0xffff : buffer.getInt();
    byte[] headerBytes = new byte[headerLength];
    buffer.get(headerBytes);
    String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, source);
    if (group(FORTRAN, header, source).equals("True")) {
      throw new IllegalArgumentException(source + ": Fortran order is not supported");
    }
    long[] shape = shape(group(SHAPE, header, source));
    ByteBuffer data = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    char order = descr.charAt(0);
    String kind = descr.substring(1);
    if (kind.startsWith("S")) {
      return Tensor.ofBytes(name, shape, strings(data, Integer.parseInt(kind.substring(1)), shape));
    }
    DataType type = TYPES.get(kind);
    if (type == null || order == '>') {
      throw new IllegalArgumentException(source + ": unsupported dtype '" + descr + "'");
    }
    long bytes = Tensor.elementCount(shape) * type.byteSize();
    data.limit((int) bytes);
    return Tensor.of(name, type, shape, data);
  }

  private static List<byte[]> strings(ByteBuffer data, int width, long[] shape) {
    long count = Tensor.elementCount(shape);
    List<byte[]> elements = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      byte[] padded = new byte[width];
      data.get(padded);
      int length = width;
      while (length > 0 && padded[length - 1] == 0) {
        length--;
      }
      elements.add(Arrays.copyOf(padded, length));
    }
    return elements;
  }

  private static long[] shape(String dims) {
    return Arrays.stream(dims.split(","))
        .map(String::trim)
        .filter(dim -> !dim.isEmpty())
        .mapToLong(Long::parseLong)
        .toArray();
  }

  private static String group(Pattern pattern, String header, String source) {
    Matcher matcher = pattern.matcher(header);
    if (!matcher.find()) {
      throw new IllegalArgumentException(source + ": header lacks " + pattern + ": " + header);
    }
    return matcher.group(1);
  }
}
