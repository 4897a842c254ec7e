package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.monitoring.FeatureKind;
import dev.infera.core.monitoring.ReferenceFeature;
import dev.infera.core.monitoring.ReferenceProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code infera profile build} over tabular_mlp (one FP32 input of 64 columns) and a model with a
 * string input: the profile names the features as drift monitoring does, with each column's
 * distribution.
 */
class ProfileCommandTest {
  @TempDir Path repository;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return InferaCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  /** {@code infera profile build MODEL --model-repository <repository> --data DATA [more]}. */
  private int build(String model, Path data, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "profile",
                "build",
                model,
                "--model-repository",
                repository.toString(),
                "--data",
                data.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private Path tabular() throws Exception {
    Path model = repository.resolve("tabular_mlp");
    Files.createDirectories(model.resolve("1"));
    Files.createDirectories(model.resolve("3"));
    Files.copy(
        Paths.get("..", "examples", "models", "tabular_mlp", "config.pbtxt"),
        model.resolve("config.pbtxt"));
    return model;
  }

  @Test
  void aCsvWithOneColumnPerFeatureGivesEachColumnItsQuantiles() throws Exception {
    Path model = tabular();
    Path csv = repository.resolve("train.csv");
    Random random = new Random(3);
    List<String> lines = new ArrayList<>();
    StringJoiner header = new StringJoiner(",");
    for (int f = 0; f < 64; f++) {
      header.add("f" + f);
    }
    lines.add(header.toString());
    for (int r = 0; r < 1000; r++) {
      StringJoiner row = new StringJoiner(",");
      for (int f = 0; f < 64; f++) {
        row.add(Double.toString(random.nextGaussian() + (f == 5 ? 10 : 0)));
      }
      lines.add(row.toString());
    }
    Files.write(csv, lines);

    int exit = build("tabular_mlp", csv);

    assertThat(exit).as(err.toString()).isZero();
    Path written = model.resolve("3").resolve(ReferenceProfile.FILE_NAME); // the highest version
    assertThat(out.toString()).contains(written.toString()).contains("1000 rows, 64 features");
    ReferenceProfile profile = ReferenceProfile.fromJson(Files.readString(written));
    assertThat(profile.rows()).isEqualTo(1000);
    assertThat(profile.features()).hasSize(64);
    ReferenceFeature fifth = profile.features().get(5);
    assertThat(fifth.name()).isEqualTo("features[5]");
    assertThat(fifth.kind()).isEqualTo(FeatureKind.NUMERIC);
    assertThat(fifth.count()).isEqualTo(1000);
    assertThat(fifth.quantiles()[100]).isBetween(9.8, 10.2); // the median
    assertThat(profile.features().get(0).quantiles()[100]).isBetween(-0.2, 0.2);
  }

  @Test
  void anIdColumnIsNotAFeature() throws Exception {
    Path model = tabular();
    Path csv = repository.resolve("scored.csv");
    List<String> lines = new ArrayList<>();
    StringJoiner header = new StringJoiner(",").add("id");
    for (int f = 0; f < 64; f++) {
      header.add("f" + f);
    }
    lines.add(header.toString());
    for (int r = 0; r < 200; r++) {
      StringJoiner row = new StringJoiner(",").add("row-" + r);
      for (int f = 0; f < 64; f++) {
        row.add(Integer.toString(f));
      }
      lines.add(row.toString());
    }
    Files.write(csv, lines);

    int exit = build("tabular_mlp", csv);

    assertThat(exit).as(err.toString()).isZero();
    ReferenceProfile profile =
        ReferenceProfile.fromJson(
            Files.readString(model.resolve("3").resolve(ReferenceProfile.FILE_NAME)));
    assertThat(profile.features()).hasSize(64);
    assertThat(profile.features().get(7).quantiles()[100]).isEqualTo(7.0);
  }

  @Test
  void jsonLinesNameTheInputsAndStringsBecomeCategories() throws Exception {
    Path model = repository.resolve("labels");
    Files.createDirectories(model.resolve("1"));
    Files.writeString(
        model.resolve("config.pbtxt"),
        "name: \"labels\"\nbackend: \"onnxruntime\"\nmax_batch_size: 8\n"
            + "input [ { name: \"TEXT\" data_type: TYPE_STRING dims: [ 1 ] },"
            + " { name: \"X\" data_type: TYPE_FP32 dims: [ 2 ] } ]\n"
            + "output [ { name: \"Y\" data_type: TYPE_FP32 dims: [ 1 ] } ]\n");
    Path jsonl = repository.resolve("rows.jsonl");
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < 40; r++) {
      lines.add("{\"TEXT\": \"" + (r % 4 == 0 ? "red" : "blue") + "\", \"X\": [" + r + ", 1.5]}");
    }
    Files.write(jsonl, lines);
    Path target = repository.resolve("out.json");

    int exit = build("labels", jsonl, "--output", target.toString());

    assertThat(exit).as(err.toString()).isZero();
    ReferenceProfile profile = ReferenceProfile.fromJson(Files.readString(target));
    assertThat(profile.features())
        .extracting(ReferenceFeature::name)
        .containsExactly("TEXT", "X[0]", "X[1]");
    assertThat(profile.features().get(0).categories()).containsEntry("red", 10L);
    assertThat(profile.features().get(0).categories()).containsEntry("blue", 30L);
  }

  @Test
  void aRowThatDoesNotFitTheInputIsNamedAndNothingIsWritten() throws Exception {
    Path model = tabular();
    Path jsonl = repository.resolve("short.jsonl");
    Files.write(jsonl, List.of("{\"features\": [1, 2, 3]}"));

    int exit = build("tabular_mlp", jsonl);

    assertThat(exit).isEqualTo(ProfileCommand.FAILED);
    assertThat(err.toString()).contains("row 1: input 'features' has 3 values (expected 64)");
    assertThat(model.resolve("3").resolve(ReferenceProfile.FILE_NAME)).doesNotExist();
    assertThat(build("nope", jsonl)).isEqualTo(ProfileCommand.FAILED);
    assertThat(err.toString()).contains("model 'nope' has no config.pbtxt");
  }

  /** A NumPy array (written by numpy.save: 200 rows of 64 FP32 values, column 5 near 10). */
  private static Path npy(String name) throws Exception {
    return Paths.get(ProfileCommandTest.class.getResource("/profile/" + name).toURI());
  }

  @Test
  void aNumpyArrayOfRowsGivesEachColumnItsQuantiles() throws Exception {
    Path model = tabular();

    int exit = build("tabular_mlp", npy("tabular-200.npy"));

    assertThat(exit).as(err.toString()).isZero();
    ReferenceProfile profile =
        ReferenceProfile.fromJson(
            Files.readString(model.resolve("3").resolve(ReferenceProfile.FILE_NAME)));
    assertThat(profile.rows()).isEqualTo(200);
    assertThat(profile.features()).hasSize(64);
    assertThat(profile.features().get(5).name()).isEqualTo("features[5]");
    assertThat(profile.features().get(5).quantiles()[100]).isBetween(9.6, 10.4);
    assertThat(profile.features().get(0).quantiles()[100]).isBetween(-0.4, 0.4);
  }

  @Test
  void aNumpyArrayOfTheWrongWidthIsNamedAndNothingIsWritten() throws Exception {
    Path model = tabular();

    int exit = build("tabular_mlp", npy("tabular-narrow.npy"));

    assertThat(exit).isEqualTo(ProfileCommand.FAILED);
    assertThat(err.toString())
        .contains(
            "data file 'tabular-narrow.npy' has 3 values a row (shape [200, 3]; expected 64 for"
                + " input 'features')");
    assertThat(model.resolve("3").resolve(ReferenceProfile.FILE_NAME)).doesNotExist();
  }
}
