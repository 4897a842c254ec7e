package dev.infera.server.protocol;

import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The protocol's datatype names ({@code FP32}, {@code BYTES}, …), read the same on every edge. */
public final class DataTypes {
  private static final String NAMES =
      Arrays.stream(DataType.values())
          .map(DataType::protocolName)
          .collect(Collectors.joining(", "));

  private DataTypes() {}

  /**
   * The datatype a name denotes.
   *
   * @param owner names the tensor in messages, such as {@code input 'x'}
   * @throws InferenceException INVALID_ARGUMENT for an unknown name, listing the known ones
   */
  public static DataType parse(String owner, String name) {
    return DataType.fromProtocolName(name)
        .orElseThrow(
            () ->
                InferenceException.invalidArgument(
                    owner + ": unknown datatype '" + name + "' (expected one of " + NAMES + ")"));
  }
}
