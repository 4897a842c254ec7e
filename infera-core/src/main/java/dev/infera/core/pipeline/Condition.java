package dev.infera.core.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test on the values of a pipeline tensor: a threshold ({@code <, <=, >, >=}), an equality
 * ({@code ==, !=}) or a class in a set ({@code in 1,3,5}). Immutable.
 *
 * @param tensor the pipeline tensor whose values are tested
 * @param op the comparison
 * @param values the value compared with; several for {@link Op#IN}
 */
public record Condition(String tensor, Op op, List<Double> values) {
  private static final Pattern FORM =
      Pattern.compile("^\\s*([A-Za-z0-9_.:\\-]+)\\s*(<=|>=|==|!=|<|>|\\sin\\s)\\s*(\\S.*)$");

  /** The comparisons a condition may use. */
  public enum Op {
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    EQ("=="),
    NE("!="),
    IN("in");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    static Op of(String symbol) {
      for (Op op : values()) {
        if (op.symbol.equals(symbol.trim())) {
          return op;
        }
      }
      throw new IllegalArgumentException(symbol);
    }
  }

  public Condition {
    Objects.requireNonNull(tensor, "tensor");
    Objects.requireNonNull(op, "op");
    values = List.copyOf(values);
    if (values.isEmpty() || (op != Op.IN && values.size() != 1)) {
      throw new IllegalArgumentException("condition on '" + tensor + "': " + values);
    }
  }

  /**
   * Parses {@code TENSOR OP VALUE}, such as {@code scores<0.8} or {@code class in 1,3}.
   *
   * @throws IllegalArgumentException naming what was expected
   */
  public static Condition parse(String text) {
    Matcher matcher = FORM.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "condition '"
              + text
              + "' (expected TENSOR OP VALUE with OP one of <, <=, >, >=, ==, != or 'in' and a"
              + " comma-separated list)");
    }
    Op op = Op.of(matcher.group(2));
    String[] parts = matcher.group(3).split(",");
    if (op != Op.IN && parts.length != 1) {
      throw new IllegalArgumentException(
          "condition '" + text + "' compares with one value (use 'in' for a set)");
    }
    List<Double> values = new java.util.ArrayList<>();
    for (String part : parts) {
      try {
        values.add(Double.parseDouble(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "condition '" + text + "': '" + part.trim() + "' is not a number");
      }
    }
    return new Condition(matcher.group(1), op, values);
  }

  /** Whether a value satisfies the condition. */
  public boolean test(double value) {
    double first = values.get(0);
    return switch (op) {
      case LT -> value < first;
      case LE -> value <= first;
      case GT -> value > first;
      case GE -> value >= first;
      case EQ -> value == first;
      case NE -> value != first;
      case IN -> values.contains(value);
    };
  }

  @Override
  public String toString() {
    String shown =
        op == Op.IN
            ? String.join(",", values.stream().map(Condition::format).toList())
            : format(values.get(0));
    return tensor + (op == Op.IN ? " in " : op.symbol) + shown;
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }
}
