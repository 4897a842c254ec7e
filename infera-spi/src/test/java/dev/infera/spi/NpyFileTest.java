package dev.infera.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by NumPy 1.24 ({@code numpy.save}), read back as tensors. */
class NpyFileTest {
  private static Path file(String name) throws URISyntaxException {
    return Path.of(NpyFileTest.class.getResource("/npy/" + name).toURI());
  }

  @Test
  void numbersKeepTheirTypeShapeAndValues() throws Exception {
    NpyFile npy = NpyFile.open(file("f32.npy"));

    assertThat(npy.dataType()).isEqualTo(DataType.FP32);
    assertThat(npy.shape()).containsExactly(4, 3);
    assertThat(npy.rowCount()).isEqualTo(4);
    assertThat(npy.rowElements()).isEqualTo(3);
    ByteBuffer all = npy.all("x").data();
    for (int i = 0; i < 12; i++) {
      assertThat(all.getFloat(i * 4)).isEqualTo(i);
    }
    Tensor rows = npy.rows("x", 2, 2);
    assertThat(rows.shape()).containsExactly(2, 3);
    assertThat(rows.data().getFloat(0)).isEqualTo(6f);
    assertThat(rows.data().getFloat(5 * 4)).isEqualTo(11f);

    Tensor longs = NpyFile.open(file("i64.npy")).all("y");
    assertThat(longs.dataType()).isEqualTo(DataType.INT64);
    assertThat(longs.data().getLong(8)).isEqualTo(-2L);
    Tensor flags = NpyFile.open(file("bool.npy")).all("b");
    assertThat(flags.dataType()).isEqualTo(DataType.BOOL);
    assertThat(flags.data().get(1)).isZero();
  }

  @Test
  void unicodeAndByteStringsBecomeBytesElementsWithoutPadding() throws Exception {
    Tensor text = NpyFile.open(file("unicode.npy")).all("t");
    assertThat(text.dataType()).isEqualTo(DataType.BYTES);
    assertThat(text.elements())
        .extracting(e -> new String(e, StandardCharsets.UTF_8))
        .containsExactly("a", "héllo", "ok");

    Tensor raw = NpyFile.open(file("bytes.npy")).rows("s", 1, 1);
    assertThat(raw.elements()).extracting(String::new).containsExactly("yz");
  }

  @Test
  void whatItCannotReadIsNamed(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> NpyFile.open(file("fortran.npy")))
        .hasMessage(
            "fortran.npy: Fortran order is not supported (save it with"
                + " numpy.ascontiguousarray)");
    assertThatThrownBy(() -> NpyFile.open(file("big_endian.npy")))
        .hasMessageContaining("big_endian.npy: dtype >f4 is not supported");
    Path text = Files.writeString(dir.resolve("rows.npy"), "a,b\n1,2\n");
    assertThatThrownBy(() -> NpyFile.open(text))
        .hasMessage("rows.npy: not a .npy file (no NumPy magic string)");
    Path cut = dir.resolve("cut.npy");
    byte[] whole = Files.readAllBytes(file("f32.npy"));
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 8));
    assertThatThrownBy(() -> NpyFile.open(cut))
        .hasMessageContaining("cut.npy: 40 bytes of data for shape [4, 3] of <f4 (expected 48)");
    assertThatThrownBy(() -> NpyFile.open(file("f32.npy")).rows("x", 3, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
