package dev.infera.backend.onnxruntime;

import static dev.infera.backend.onnxruntime.TestModels.int32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions per instance, sharing, and closing. */
class ModelLifecycleTest {
  private static final long[] SHAPE = {1, 16};

  private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend(() -> 2);

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  @Test
  void eachInstanceHasItsOwnSessionByDefault() {
    try (OnnxModel model = load(Map.of(), 3)) {
      List<ModelInstance> instances =
          List.of(model.newInstance(0), model.newInstance(1), model.newInstance(2));

      assertThat(model.openSessionCount()).isEqualTo(3);
      instances.forEach(ModelInstance::close);
    }
  }

  @Test
  void instancesShareOneSessionWhenConfigured() {
    try (OnnxModel model = load(Map.of("share_session_between_instances", "true"), 3)) {
      List<ModelInstance> instances =
          List.of(model.newInstance(0), model.newInstance(1), model.newInstance(2));

      assertThat(model.openSessionCount()).isEqualTo(1);
      instances.forEach(ModelInstance::close);
    }
  }

  @Test
  void closingAnInstanceFreesItsOwnSession() {
    try (OnnxModel model = load(Map.of(), 2)) {
      ModelInstance first = model.newInstance(0);
      ModelInstance second = model.newInstance(1);

      first.close();

      assertThat(model.openSessionCount()).isEqualTo(1);
      second.close();
    }
  }

  @Test
  void closingTheModelFreesEverySession() {
    OnnxModel model = load(Map.of("share_session_between_instances", "true"), 2);
    model.newInstance(0);
    model.newInstance(1);

    model.close();

    assertThat(model.openSessionCount()).isZero();
  }

  @Test
  void closingTwiceIsHarmless() {
    OnnxModel model = load(Map.of(), 1);
    ModelInstance instance = model.newInstance(0);
    instance.close();
    model.close();

    assertThatCode(
            () -> {
              instance.close();
              model.close();
            })
        .doesNotThrowAnyException();
  }

  @Test
  void executingOnAClosedInstanceIsUnavailable() {
    try (OnnxModel model = load(Map.of(), 1)) {
      ModelInstance instance = model.newInstance(0);
      instance.close();

      assertThatThrownBy(() -> instance.execute(inputs(), List.of("OUTPUT0")))
          .isInstanceOfSatisfying(
              InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
          .hasMessageContaining("closed");
    }
  }

  @Test
  void newInstanceOnAClosedModelIsUnavailable() {
    OnnxModel model = load(Map.of(), 1);
    model.close();

    assertThatThrownBy(() -> model.newInstance(0))
        .isInstanceOfSatisfying(
            InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  private OnnxModel load(Map<String, String> parameters, int instances) {
    return (OnnxModel) backend.load(TestModels.request("simple", parameters, instances));
  }

  private static List<Tensor> inputs() {
    int[] values = new int[16];
    return List.of(int32("INPUT0", SHAPE, values), int32("INPUT1", SHAPE, values));
  }
}
