package dev.infera.server.rest;

import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;

/**
 * One input as read from the JSON header: either its tensor (data was in the JSON) or the number of
 * bytes it takes in the binary section that follows the JSON ({@code tensor} is then null).
 */
record DecodedInput(String name, DataType type, long[] shape, Tensor tensor, long binaryDataSize) {

  boolean isBinary() {
    return tensor == null;
  }
}
