package dev.infera.core.config;

import java.util.ArrayList;
import java.util.List;

/** Shape arithmetic and formatting shared by validation and completion. -1 is a dynamic size. */
final class Dims {
  static final long DYNAMIC = -1;

  private Dims() {}

  /** {@code [-1,16]}, the form used in every problem message. */
  static String format(List<Long> dims) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < dims.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(dims.get(i));
    }
    return text.append(']').toString();
  }

  static String format(long[] dims) {
    return format(toList(dims));
  }

  static List<Long> toList(long[] dims) {
    List<Long> list = new ArrayList<>(dims.length);
    for (long dim : dims) {
      list.add(dim);
    }
    return list;
  }

  static long[] toArray(List<Long> dims) {
    long[] array = new long[dims.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = dims.get(i);
    }
    return array;
  }

  /** Whether every size is -1 or positive. */
  static boolean allValid(List<Long> dims) {
    return dims.stream().allMatch(dim -> dim == DYNAMIC || dim > 0);
  }

  /**
   * The element counts of the runs of fixed sizes between dynamic sizes: {@code [2,4,-1,6]} gives
   * {@code [8,6]}. Two shapes hold the same elements when these lists are equal.
   */
  static List<Long> fixedRunProducts(List<Long> dims) {
    List<Long> products = new ArrayList<>();
    long current = 1;
    for (long dim : dims) {
      if (dim == DYNAMIC) {
        products.add(current);
        current = 1;
      } else {
        current = Math.multiplyExact(current, dim);
      }
    }
    products.add(current);
    return products;
  }

  /** Whether two sizes can describe the same tensor: equal, or either dynamic. */
  static boolean compatible(long declared, long actual) {
    return declared == actual || actual == DYNAMIC;
  }
}
