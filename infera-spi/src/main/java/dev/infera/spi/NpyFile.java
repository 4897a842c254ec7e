package dev.infera.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} file (format versions 1 to 3, C order) read as tensors: little-endian or
 * one-byte numbers ({@code <f4}, {@code <i8}, {@code |u1}, {@code |b1}...), fixed-width byte
 * strings ({@code |S<n>}) and fixed-width unicode strings ({@code <U<n>}, as UTF-8). The file is
 * memory-mapped, not read into the heap, so {@link #rows} can stream a large sample. NumPy has no
 * Java library of its own; the format is the one its documentation (numpy.lib.format) specifies.
 */
public final class NpyFile {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

  private final String name;
  private final String descr;
  private final DataType dataType;
  private final long[] shape;
  private final int elementBytes;
  private final long rowElements;
  private final ByteBuffer data;

  private NpyFile(String name, String descr, long[] shape, ByteBuffer data) {
    this.name = name;
    this.descr = descr;
    this.shape = shape;
    this.dataType = dataType(descr);
    this.elementBytes =
        dataType == DataType.BYTES
            ? Integer.parseInt(descr.substring(2)) * (descr.charAt(1) == 'U' ? 4 : 1)
            : dataType.byteSize();
    long perRow = 1;
    for (int i = 1; i < shape.length; i++) {
      perRow *= shape[i];
    }
    this.rowElements = perRow;
    long expected = Tensor.elementCount(shape) * elementBytes;
    if (data.remaining() < expected) {
      throw new IllegalArgumentException(
          name
              + ": "
              + data.remaining()
              + " bytes of data for shape "
              + Arrays.toString(shape)
              + " of "
              + descr
              + " (expected "
              + expected
              + ")");
    }
    this.data = data.slice().limit((int) expected).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Opens {@code file}.
   *
   * @throws IllegalArgumentException naming the file (by its name) and what is wrong with it
   * @throws IOException when it cannot be read
   */
  public static NpyFile open(Path file) throws IOException {
    String name = String.valueOf(file.getFileName());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + ": larger than 2 GiB (split the sample)");
      }
      MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      bytes.order(ByteOrder.LITTLE_ENDIAN);
      if (bytes.remaining() < 10 || bytes.get() != (byte) 0x93 || bytes.get() != 'N') {
        throw new IllegalArgumentException(name + ": not a .npy file (no NumPy magic string)");
      }
      bytes.position(6);
      int major = bytes.get();
      bytes.get();
      int headerLength = major == 1 ? Short.toUnsignedInt(bytes.getShort()) : bytes.getInt();
      if (headerLength < 0 || headerLength > bytes.remaining()) {
        throw new IllegalArgumentException(name + ": header length " + headerLength + " is wrong");
      }
      byte[] headerBytes = new byte[headerLength];
      bytes.get(headerBytes);
      String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
      String descr = find(DESCR, header, name, "'descr'");
      if (find(FORTRAN, header, name, "'fortran_order'").equals("True")) {
        throw new IllegalArgumentException(
            name + ": Fortran order is not supported (save it with numpy.ascontiguousarray)");
      }
      long[] shape;
      try {
        shape =
            Arrays.stream(find(SHAPE, header, name, "'shape'").split(","))
                .map(String::trim)
                .filter(dim -> !dim.isEmpty())
                .mapToLong(Long::parseLong)
                .toArray();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + ": the header's shape is not a tuple of numbers");
      }
      return new NpyFile(name, descr, shape, bytes.slice());
    }
  }

  public DataType dataType() {
    return dataType;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** Rows along the first dimension (1 for a scalar array). */
  public long rowCount() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** Elements in one row (the product of the dimensions after the first). */
  public long rowElements() {
    return rowElements;
  }

  /** The whole array as a tensor named {@code tensorName}. */
  public Tensor all(String tensorName) {
    return slice(tensorName, 0, rowCount(), shape);
  }

  /** Rows {@code [first, first + count)} as a tensor named {@code tensorName}, rows first. */
  public Tensor rows(String tensorName, long first, int count) {
    if (shape.length == 0 || first < 0 || count < 0 || first + count > shape[0]) {
      throw new IndexOutOfBoundsException(
          name + ": rows " + first + ".." + (first + count) + " of " + rowCount());
    }
    long[] part = shape.clone();
    part[0] = count;
    return slice(tensorName, first, count, part);
  }

  private Tensor slice(String tensorName, long first, long count, long[] part) {
    int from = Math.toIntExact(first * rowElements * elementBytes);
    int length = Math.toIntExact(count * rowElements * elementBytes);
    ByteBuffer bytes = data.slice(from, length).order(ByteOrder.LITTLE_ENDIAN);
    if (dataType != DataType.BYTES) {
      return Tensor.of(tensorName, dataType, part, bytes);
    }
    List<byte[]> elements = new ArrayList<>((int) (count * rowElements));
    boolean unicode = descr.charAt(1) == 'U';
    while (bytes.remaining() >= elementBytes && elementBytes > 0) {
      byte[] element = new byte[elementBytes];
      bytes.get(element);
      elements.add(unicode ? utf8(element) : trimmed(element));
    }
    return Tensor.ofBytes(tensorName, part, elements);
  }

  /** A NUL-padded byte string without its padding. */
  private static byte[] trimmed(byte[] element) {
    int length = element.length;
    while (length > 0 && element[length - 1] == 0) {
      length--;
    }
    return Arrays.copyOf(element, length);
  }

  /** NumPy's unicode element (UTF-32LE code points, NUL-padded) as UTF-8. */
  private static byte[] utf8(byte[] element) {
    ByteBuffer points = ByteBuffer.wrap(element).order(ByteOrder.LITTLE_ENDIAN);
    StringBuilder text = new StringBuilder();
    while (points.remaining() >= 4) {
      int point = points.getInt();
      if (point == 0) {
        break;
      }
      text.appendCodePoint(point);
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private DataType dataType(String dtype) {
    if (dtype.startsWith("|S") || dtype.startsWith("<U")) {
      return DataType.BYTES;
    }
    return switch (dtype) {
      case "<f2" -> DataType.FP16;
      case "<f4" -> DataType.FP32;
      case "<f8" -> DataType.FP64;
      case "|i1" -> DataType.INT8;
      case "<i2" -> DataType.INT16;
      case "<i4" -> DataType.INT32;
      case "<i8" -> DataType.INT64;
      case "|u1" -> DataType.UINT8;
      case "<u2" -> DataType.UINT16;
      case "<u4" -> DataType.UINT32;
      case "<u8" -> DataType.UINT64;
      case "|b1" -> DataType.BOOL;
      default ->
          throw new IllegalArgumentException(
              name
                  + ": dtype "
                  + dtype
                  + " is not supported (expected little-endian numbers, bool, |S<n> or <U<n>)");
    };
  }

  private static String find(Pattern pattern, String header, String name, String key) {
    Matcher matcher = pattern.matcher(header);
    if (!matcher.find()) {
      throw new IllegalArgumentException(name + ": the header has no " + key);
    }
    return matcher.group(1);
  }
}
