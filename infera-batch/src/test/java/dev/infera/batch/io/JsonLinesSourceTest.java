package dev.infera.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON Lines rows read token by token: numbers as their text, the rest as a tree would give. */
class JsonLinesSourceTest {
  @TempDir Path dir;

  @Test
  void numbersKeepTheirTextAndOtherValuesTheirShape() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("in.jsonl"),
            String.join(
                "\n",
                "{\"id\":7,\"x\":[-0,1.5e3,0.30000000000000004,12345678901234567890],"
                    + "\"s\":\"a\\\"b\",\"b\":true,\"o\":{\"k\":[1,2.50]},\"n\":null}",
                "",
                "{\"x\":[],\"skip\":{\"deep\":[[1],{\"z\":2}]},\"id\":8,\"id\":9}",
                "[1,2]",
                "{\"id\":10,\"x\":[1,}",
                "{\"b\":false}"));
    try (JsonLinesSource source = new JsonLinesSource(file)) {
      assertThat(source.columns()).containsExactly("id", "x", "s", "b", "o", "n");

      SourceRow first = source.next();
      assertThat(first.line()).isEqualTo(1);
      assertThat(first.values())
          .containsExactly(
              "7",
              List.of("-0", "1.5e3", "0.30000000000000004", "12345678901234567890"),
              "a\"b",
              true,
              "{\"k\":[1,2.5]}", // a nested object as the tree serializes it
              null);

      SourceRow second = source.next(); // after a blank line; unknown keys skipped, the last id
      assertThat(second.line()).isEqualTo(3);
      assertThat(second.values()).containsExactly("9", List.of(), null, null, null, null);

      SourceRow array = source.next();
      assertThat(array.values()).isNull();
      assertThat(array.error()).isEqualTo("not a JSON object");

      SourceRow broken = source.next();
      assertThat(broken.values()).isNull();
      assertThat(broken.error()).startsWith("not valid JSON: Unexpected character ('}'");
      assertThat(broken.where()).isEqualTo("in.jsonl line 5");

      assertThat(source.next().values()).containsExactly(null, null, null, false, null, null);
      assertThat(source.next()).isNull();
    }
  }
}
