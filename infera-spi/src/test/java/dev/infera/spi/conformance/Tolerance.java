package dev.infera.spi.conformance;

/**
 * How close a floating-point result must be to the expected one: |got - expected| &lt;= atol + rtol
 * * |expected|. Integer, boolean and BYTES tensors always compare exactly.
 */
public record Tolerance(double atol, double rtol) {
  public Tolerance {
    if (atol < 0 || rtol < 0 || Double.isNaN(atol) || Double.isNaN(rtol)) {
      throw new IllegalArgumentException("tolerance atol=" + atol + " rtol=" + rtol);
    }
  }

  /** Bit-for-bit equality (NaN matches NaN). */
  public static Tolerance exact() {
    return new Tolerance(0, 0);
  }

  public boolean isExact() {
    return atol == 0 && rtol == 0;
  }

  boolean accepts(double got, double expected) {
    if (Double.isNaN(got) || Double.isNaN(expected)) {
      return Double.isNaN(got) && Double.isNaN(expected);
    }
    if (got == expected) {
      return true;
    }
    return Math.abs(got - expected) <= atol + rtol * Math.abs(expected);
  }
}
