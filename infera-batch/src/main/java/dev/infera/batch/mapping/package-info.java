/**
 * From rows to tensors and back: which columns feed which model input, converting a row's values
 * into a batch's input tensors (rejecting rows that do not convert), and the output columns.
 */
package dev.infera.batch.mapping;
