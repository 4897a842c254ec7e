package dev.infera.batch.mapping;

import com.fasterxml.jackson.core.io.NumberInput;
import java.math.BigDecimal;
import java.util.Locale;

/** Reads row values (text, numbers, booleans) as numbers; failures are NumberFormatException. */
final class ValueParsing {
  private ValueParsing() {}

  /** A value as a double; with {@code asFloat} text is parsed straight to float (rounded once). */
  static double toDouble(Object value, boolean asFloat) {
    if (value instanceof Float f) {
      return f;
    }
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof BigDecimal big) {
      return asFloat ? big.floatValue() : big.doubleValue();
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String text) {
      String trimmed = text.trim();
      if (trimmed.isEmpty() || !plausibleNumber(trimmed)) {
        throw new NumberFormatException(text);
      }
      // Jackson's fast parser (FastDoubleParser), as the server's JSON decoding uses: the same
      // correctly rounded value as Float.parseFloat, in a fraction of its time.
      return asFloat
          ? NumberInput.parseFloat(trimmed, true)
          : NumberInput.parseDouble(trimmed, true);
    }
    throw new NumberFormatException(String.valueOf(value));
  }

  /** Rejects what Java's parser takes but a table should not: hex floats, 'f'/'d' suffixes. */
  private static boolean plausibleNumber(String text) {
    char last = Character.toLowerCase(text.charAt(text.length() - 1));
    if (last == 'f' || last == 'd') {
      return false;
    }
    return text.indexOf('x') < 0 && text.indexOf('X') < 0;
  }

  static long toLong(Object value, long min, long max) {
    long result;
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      result = ((Number) value).longValue();
    } else if (value instanceof Number n) {
      try {
        result = new BigDecimal(n.toString()).longValueExact();
      } catch (ArithmeticException | NumberFormatException notInteger) {
        throw new NumberFormatException(n.toString());
      }
    } else if (value instanceof String text) {
      String trimmed = text.trim();
      try {
        result = Long.parseLong(trimmed);
      } catch (NumberFormatException e) {
        try {
          result = new BigDecimal(trimmed).longValueExact();
        } catch (ArithmeticException | NumberFormatException notInteger) {
          throw new NumberFormatException(text);
        }
      }
    } else if (value instanceof Boolean b) {
      result = b ? 1 : 0;
    } else {
      throw new NumberFormatException(String.valueOf(value));
    }
    if (result < min || result > max) {
      throw new NumberFormatException(String.valueOf(value));
    }
    return result;
  }

  static boolean toBoolean(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new NumberFormatException(text);
    };
  }
}
