package dev.infera.batch.mapping;

/** A row that cannot become model inputs; the message says which value and what was expected. */
public final class RowRejected extends Exception {
  public RowRejected(String reason) {
    super(reason, null, false, false);
  }
}
