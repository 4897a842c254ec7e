package dev.infera.spi.conformance;

import dev.infera.spi.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One reference case: inputs and the outputs they must produce.
 *
 * @param name the case's name, for failure messages
 * @param inputs every input of the model
 * @param expectedOutputs the outputs to request and compare, in request order
 */
public record ConformanceSample(String name, List<Tensor> inputs, List<Tensor> expectedOutputs) {
  public ConformanceSample {
    inputs = List.copyOf(inputs);
    expectedOutputs = List.copyOf(expectedOutputs);
    if (expectedOutputs.isEmpty()) {
      throw new IllegalArgumentException("sample '" + name + "' expects no output");
    }
  }

  public List<String> outputNames() {
    return expectedOutputs.stream().map(Tensor::name).toList();
  }

  /**
   * Reads the model zoo's sample layout: one folder per case under {@code samplesDirectory}, each
   * holding {@code input.<tensor>.npy} and {@code output.<tensor>.npy} files. Cases and tensors are
   * ordered by name.
   */
  public static List<ConformanceSample> readAll(Path samplesDirectory) {
    List<ConformanceSample> samples = new ArrayList<>();
    try (Stream<Path> cases = Files.list(samplesDirectory)) {
      for (Path folder : cases.filter(Files::isDirectory).sorted().toList()) {
        samples.add(read(folder));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no sample folders in " + samplesDirectory);
    }
    return samples;
  }

  /** Reads one case folder of {@code input.<tensor>.npy} and {@code output.<tensor>.npy} files. */
  public static ConformanceSample read(Path caseFolder) {
    List<Tensor> inputs = new ArrayList<>();
    List<Tensor> outputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(caseFolder)) {
      for (Path file : files.sorted().toList()) {
        String fileName = file.getFileName().toString();
        if (!fileName.endsWith(".npy")) {
          continue;
        }
        String stem = fileName.substring(0, fileName.length() - ".npy".length());
        if (stem.startsWith("input.")) {
          inputs.add(NpyReader.read(file, stem.substring("input.".length())));
        } else if (stem.startsWith("output.")) {
          outputs.add(NpyReader.read(file, stem.substring("output.".length())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ConformanceSample(caseFolder.getFileName().toString(), inputs, outputs);
  }
}
