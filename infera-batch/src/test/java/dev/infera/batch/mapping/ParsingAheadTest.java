package dev.infera.batch.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.batch.io.SourceRow;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Numbers parsed on the reading thread are those the job thread would parse, and only those. */
class ParsingAheadTest {

  private static InputBinding scalars(String input, DataType type, int... columns) {
    String[] names = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      names[i] = "c" + columns[i];
    }
    return new InputBinding(
        input, type, new long[] {columns.length}, columns.length, columns, names);
  }

  @Test
  void onlyTextFeedingFloatInputsIsParsedAndWhatDoesNotParseStaysText() throws Exception {
    // columns: 0 id, 1-2 FP32, 3 FP64, 4 INT64, 5 FP32 and FP64 at once, 6 an FP32 array, 7 unused
    ColumnMapping mapping =
        new ColumnMapping(
            List.of(
                scalars("a", DataType.FP32, 1, 2, 5),
                scalars("b", DataType.FP64, 3, 5),
                scalars("c", DataType.INT64, 4),
                new InputBinding(
                    "d", DataType.FP32, new long[] {2}, 2, new int[] {6}, new String[] {"c6"})),
            0,
            "c0");
    UnaryOperator<SourceRow> parse = BatchBuilder.parsingAhead(mapping);
    Object[] values = {"17", "0.1", " abc ", "0.1", "42", "0.1", List.of("1e-46", "2.5"), "0.5"};
    SourceRow row = parse.apply(SourceRow.of("t.csv", 1, 2, values.clone()));

    assertThat(row.values()[0]).isEqualTo("17"); // the id
    assertThat(row.values()[1]).isEqualTo(0.1f);
    assertThat(row.values()[2]).isEqualTo(" abc "); // left for the job thread to reject
    assertThat(row.values()[3]).isEqualTo(0.1d); // parsed as a double, not widened from a float
    assertThat(row.values()[4]).isEqualTo("42"); // an integer input: as read
    assertThat(row.values()[5]).isEqualTo("0.1"); // feeds two types: as read
    assertThat(row.values()[6]).isEqualTo(List.of(0.0f, 2.5f));
    assertThat(row.values()[7]).isEqualTo("0.5");

    // The batch built from the parsed row holds the same bytes as from the text.
    BatchBuilder fromText = new BatchBuilder(mapping, 8, 4);
    BatchBuilder fromParsed = new BatchBuilder(mapping, 8, 4);
    Object[] good = values.clone();
    good[2] = "-2.75";
    fromText.add(SourceRow.of("t.csv", 1, 2, good.clone()), "17");
    fromParsed.add(parse.apply(SourceRow.of("t.csv", 1, 2, good.clone())), "17");
    List<Tensor> expected = fromText.take().inputs();
    List<Tensor> actual = fromParsed.take().inputs();
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).data()).as(expected.get(i).name()).isEqualTo(expected.get(i).data());
    }
  }

  @Test
  void aMappingWithoutFloatInputsLeavesRowsAsTheyAre() {
    ColumnMapping mapping = new ColumnMapping(List.of(scalars("c", DataType.INT32, 1)), 0, "c0");
    assertThat(BatchBuilder.parsingAhead(mapping)).isSameAs(UnaryOperator.identity());
  }
}
