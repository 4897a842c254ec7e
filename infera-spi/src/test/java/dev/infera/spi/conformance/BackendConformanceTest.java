package dev.infera.spi.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.infera.spi.Backend;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every backend shares. A backend's test module extends this class and supplies its
 * name, fixture models with reference samples, and the data types it declares; every test here then
 * runs against that backend, found with {@link ServiceLoader} as the server finds it.
 *
 * <p>Each test creates its own backend and closes everything it loaded, models before the backend.
 */
public abstract class BackendConformanceTest {
  private static final long TIMEOUT_SECONDS = 120;

  private final List<AutoCloseable> opened = new ArrayList<>();
  private Backend backend;

  /** The backend's {@link Backend#name()}. */
  protected abstract String backendName();

  /** Fixture models, at least one; together they must use every type of {@link #dataTypes()}. */
  protected abstract List<ConformanceModel> fixtures();

  /** The tensor data types the backend declares it supports. */
  protected abstract Set<DataType> dataTypes();

  /** How many instances the concurrency test runs at once. */
  protected int concurrentInstances() {
    return 4;
  }

  @BeforeEach
  void findBackend() {
    backend =
        ServiceLoader.load(Backend.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(candidate -> candidate.name().equals(backendName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Backend named " + backendName()));
  }

  @AfterEach
  void closeEverything() throws Exception {
    Collections.reverse(opened);
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
    backend.close();
  }

  @Test
  void serviceLoaderFindsTheBackendByName() {
    assertThat(backend.name()).isEqualTo(backendName());
    assertThat(backend.aliases()).doesNotContain(backendName());
  }

  @Test
  void recognizesEveryFixtureThatNamesNoModelFile() {
    for (ConformanceModel fixture : fixtures()) {
      if (fixture.modelFileName().isEmpty()) {
        assertThat(backend.recognizes(fixture.versionDirectory())).as(fixture.name()).isTrue();
      }
    }
  }

  @Test
  void fixturesUseEveryDeclaredDataType() {
    Set<DataType> used = EnumSet.noneOf(DataType.class);
    for (ConformanceModel fixture : fixtures()) {
      for (ConformanceSample sample : fixture.samples()) {
        sample.inputs().forEach(tensor -> used.add(tensor.dataType()));
        sample.expectedOutputs().forEach(tensor -> used.add(tensor.dataType()));
      }
    }
    assertThat(used).containsAll(dataTypes());
  }

  @Test
  void loadReportsTheExpectedSignature() {
    for (ConformanceModel fixture : fixtures()) {
      LoadedModel model = load(fixture, 1);
      assertThat(model.signature()).as(fixture.name()).isEqualTo(fixture.expectedSignature());
    }
  }

  @Test
  void executeReproducesTheReferenceOutputs() {
    for (ConformanceModel fixture : fixtures()) {
      ModelInstance instance = instance(load(fixture, 1), 0);
      for (ConformanceSample sample : fixture.samples()) {
        List<Tensor> outputs = instance.execute(sample.inputs(), sample.outputNames());
        TensorComparison.assertAllMatch(
            context(fixture, sample), outputs, sample.expectedOutputs(), fixture.tolerance());
      }
    }
  }

  @Test
  void outputsComeBackInTheRequestedOrder() {
    ConformanceModel fixture = fixtureWithSeveralOutputs();
    ConformanceSample sample = fixture.samples().get(0);
    List<Tensor> expected = new ArrayList<>(sample.expectedOutputs());
    Collections.reverse(expected);
    List<String> names = expected.stream().map(Tensor::name).toList();

    List<Tensor> outputs = instance(load(fixture, 1), 0).execute(sample.inputs(), names);

    TensorComparison.assertAllMatch(
        context(fixture, sample) + " (reversed)", outputs, expected, fixture.tolerance());
  }

  @Test
  void eachOutputCanBeRequestedAlone() {
    for (ConformanceModel fixture : fixtures()) {
      ModelInstance instance = instance(load(fixture, 1), 0);
      ConformanceSample sample = fixture.samples().get(0);
      for (Tensor expected : sample.expectedOutputs()) {
        List<Tensor> outputs = instance.execute(sample.inputs(), List.of(expected.name()));
        TensorComparison.assertAllMatch(
            context(fixture, sample), outputs, List.of(expected), fixture.tolerance());
      }
    }
  }

  @Test
  void mergedBatchGivesEachRequestItsOwnRows() {
    List<ConformanceModel> batched = fixtures().stream().filter(ConformanceModel::batched).toList();
    assumeThat(batched).as("fixtures with a batch dimension").isNotEmpty();
    for (ConformanceModel fixture : batched) {
      ModelInstance instance = instance(load(fixture, 1), 0);
      for (List<ConformanceSample> group : mergeableGroups(fixture)) {
        List<String> names = group.get(0).outputNames();
        List<Tensor> merged = instance.execute(mergeInputs(group), names);
        long row = 0;
        for (ConformanceSample sample : group) {
          long rows = sample.inputs().get(0).dim(0);
          List<Tensor> alone = instance.execute(sample.inputs(), names);
          List<Tensor> slice = new ArrayList<>();
          for (Tensor output : merged) {
            slice.add(TensorRows.slice(output, row, rows));
          }
          TensorComparison.assertAllMatch(
              context(fixture, sample) + " (rows " + row + ".." + (row + rows) + " of a batch)",
              slice,
              alone,
              fixture.tolerance());
          row += rows;
        }
      }
    }
  }

  @Test
  void unknownOutputNameFailsWithInvalidArgument() {
    ConformanceModel fixture = fixtures().get(0);
    ModelInstance instance = instance(load(fixture, 1), 0);
    ConformanceSample sample = fixture.samples().get(0);

    assertThatThrownBy(() -> instance.execute(sample.inputs(), List.of("no_such_output")))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("no_such_output");
  }

  @Test
  void unknownInputNameFailsWithInvalidArgument() {
    ConformanceModel fixture = fixtures().get(0);
    ModelInstance instance = instance(load(fixture, 1), 0);
    ConformanceSample sample = fixture.samples().get(0);
    List<Tensor> inputs = new ArrayList<>(sample.inputs());
    inputs.set(0, inputs.get(0).withName("no_such_input"));

    assertThatThrownBy(() -> instance.execute(inputs, sample.outputNames()))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void inputOfAnotherDataTypeFailsWithInvalidArgument() {
    ConformanceModel fixture = fixtures().get(0);
    ModelInstance instance = instance(load(fixture, 1), 0);
    ConformanceSample sample = fixture.samples().get(0);
    List<Tensor> inputs = new ArrayList<>(sample.inputs());
    Tensor original = inputs.get(0);
    DataType other = original.dataType() == DataType.FP64 ? DataType.FP32 : DataType.FP64;
    inputs.set(0, zeros(original.name(), other, original.shape()));

    assertThatThrownBy(() -> instance.execute(inputs, sample.outputNames()))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(original.name());
  }

  @Test
  void inputWithAWrongFixedDimensionFailsWithInvalidArgument() {
    ConformanceModel fixture = fixtures().get(0);
    Tensor original = fixture.samples().get(0).inputs().get(0);
    TensorSpec spec = fixture.expectedSignature().input(original.name()).orElseThrow();
    long[] shape = spec.shape();
    assumeThat(shape.length).as("rank of input '" + spec.name() + "'").isGreaterThan(1);
    assumeThat(shape[shape.length - 1]).as("its last dimension").isPositive();
    ModelInstance instance = instance(load(fixture, 1), 0);
    long[] wrong = original.shape();
    wrong[wrong.length - 1] += 1;
    List<Tensor> inputs = new ArrayList<>(fixture.samples().get(0).inputs());
    inputs.set(0, zeros(original.name(), original.dataType(), wrong));

    assertThatThrownBy(() -> instance.execute(inputs, fixture.samples().get(0).outputNames()))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(original.name())
        .hasMessageContaining(String.valueOf(shape[shape.length - 1]));
  }

  @Test
  void concurrentInstancesGiveTheReferenceOutputs() throws Exception {
    ConformanceModel fixture = fixtures().get(0);
    int count = concurrentInstances();
    LoadedModel model = load(fixture, count);
    List<ModelInstance> instances = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      instances.add(instance(model, i));
    }
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            count,
            task -> new Thread(task, "conformance-instance-" + threadNumber.getAndIncrement()));
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> runs = new ArrayList<>();
      for (ModelInstance instance : instances) {
        runs.add(executor.submit(repeatSamples(fixture, instance, start, 5)));
      }
      start.countDown();
      for (Future<Integer> run : runs) {
        assertThat(run.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            .isEqualTo(5 * fixture.samples().size());
      }
    } finally {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void closingAnInstanceTwiceIsSafe() {
    ModelInstance instance = load(fixtures().get(0), 1).newInstance(0);
    instance.close();

    assertThatCode(instance::close).doesNotThrowAnyException();
  }

  @Test
  void closingAModelTwiceIsSafe() {
    LoadedModel model = backend.load(fixtures().get(0).loadRequest(1));
    model.newInstance(0).close();
    model.close();

    assertThatCode(model::close).doesNotThrowAnyException();
  }

  @Test
  void loadOfAMissingFileFailsWithInferenceException() {
    ConformanceModel fixture = fixtures().get(0);
    ModelLoadRequest request =
        withFile(fixture, fixture.versionDirectory(), Optional.of("no-such-model.file"));

    assertThatThrownBy(() -> backend.load(request))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("no-such-model.file");
  }

  @Test
  void loadOfAnEmptyVersionFolderFailsWithInferenceException(@TempDir Path empty) {
    ModelLoadRequest request = withFile(fixtures().get(0), empty, Optional.empty());

    assertThatThrownBy(() -> backend.load(request)).isInstanceOf(InferenceException.class);
  }

  @Test
  void loadOfACorruptFileFailsWithInferenceException(@TempDir Path folder) throws IOException {
    ConformanceModel fixture = fixtures().get(0);
    String fileName =
        fixture.modelFileName().orElseGet(() -> backend.defaultModelFileNames().iterator().next());
    Files.writeString(folder.resolve(fileName), "not a model", StandardCharsets.UTF_8);
    ModelLoadRequest request = withFile(fixture, folder, fixture.modelFileName());

    assertThatThrownBy(() -> backend.load(request)).isInstanceOf(InferenceException.class);
  }

  /** Loads a fixture; the test closes it afterwards. */
  protected final LoadedModel load(ConformanceModel fixture, int instanceCount) {
    LoadedModel model = backend.load(fixture.loadRequest(instanceCount));
    opened.add(model);
    return model;
  }

  /** Creates an instance; the test closes it afterwards, before its model. */
  protected final ModelInstance instance(LoadedModel model, int index) {
    ModelInstance instance = model.newInstance(index);
    opened.add(instance);
    return instance;
  }

  private static Callable<Integer> repeatSamples(
      ConformanceModel fixture, ModelInstance instance, CountDownLatch start, int rounds) {
    return () -> {
      start.await();
      int done = 0;
      for (int round = 0; round < rounds; round++) {
        for (ConformanceSample sample : fixture.samples()) {
          List<Tensor> outputs = instance.execute(sample.inputs(), sample.outputNames());
          TensorComparison.assertAllMatch(
              context(fixture, sample) + " (concurrent)",
              outputs,
              sample.expectedOutputs(),
              fixture.tolerance());
          done++;
        }
      }
      return done;
    };
  }

  private ConformanceModel fixtureWithSeveralOutputs() {
    Optional<ConformanceModel> found =
        fixtures().stream()
            .filter(fixture -> fixture.samples().get(0).expectedOutputs().size() > 1)
            .findFirst();
    assumeThat(found).as("a fixture with several outputs").isPresent();
    return found.orElseThrow();
  }

  /** Samples whose inputs share every non-batch dimension, in groups of two or more. */
  private static List<List<ConformanceSample>> mergeableGroups(ConformanceModel fixture) {
    Map<String, List<ConformanceSample>> groups = new LinkedHashMap<>();
    for (ConformanceSample sample : fixture.samples()) {
      StringBuilder key = new StringBuilder();
      for (Tensor input : sample.inputs()) {
        long[] shape = input.shape();
        shape[0] = -1;
        key.append(input.name()).append(Arrays.toString(shape));
      }
      groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(sample);
    }
    return groups.values().stream().filter(group -> group.size() > 1).toList();
  }

  private static List<Tensor> mergeInputs(List<ConformanceSample> group) {
    List<Tensor> merged = new ArrayList<>();
    for (int i = 0; i < group.get(0).inputs().size(); i++) {
      int index = i;
      merged.add(TensorRows.concat(group.stream().map(s -> s.inputs().get(index)).toList()));
    }
    return merged;
  }

  private static Tensor zeros(String name, DataType type, long[] shape) {
    ByteBuffer data =
        ByteBuffer.allocate(Math.toIntExact(Tensor.elementCount(shape) * type.byteSize()))
            .order(ByteOrder.LITTLE_ENDIAN);
    return Tensor.of(name, type, shape, data);
  }

  private static ModelLoadRequest withFile(
      ConformanceModel fixture, Path folder, Optional<String> fileName) {
    ModelLoadRequest base = fixture.loadRequest(1);
    return new ModelLoadRequest(
        base.modelName(),
        base.version(),
        folder,
        fileName,
        base.parameters(),
        base.maxBatchSize(),
        base.declared(),
        base.instanceCount(),
        base.instanceKind());
  }

  private static String context(ConformanceModel fixture, ConformanceSample sample) {
    return fixture.name() + "/" + sample.name();
  }
}
