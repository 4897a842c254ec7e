package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Reply;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The examples in examples/python-models, served beside examples/models' tabular_mlp: the NumPy
 * add_sub model computes what it says, and the PyTorch tabular_torch (same weights, pre-processing
 * in model.py) gives the probabilities ONNX Runtime gives for tabular_mlp.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonExamplesIT {
  private InferaServer server;
  private RestClient rest;

  @BeforeAll
  void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-python-examples");
    Path examples = Paths.get("..", "examples", "python-models").toAbsolutePath().normalize();
    TestRepository.copyInto(examples, repo);
    TestRepository.copyInto(
        TestRepository.examples().resolve("tabular_mlp"), repo.resolve("tabular_mlp"));
    server = InferaServer.start(ServerOptions.onFreePorts(repo));
    rest = new RestClient(server.httpPort(), false);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void addSubAddsAndSubtracts() {
    float[] a = new float[32];
    float[] b = new float[32];
    for (int i = 0; i < 32; i++) {
      a[i] = i * 0.5f;
      b[i] = 10 - i;
    }
    Reply reply =
        rest.infer(
            Call.of(
                "add_sub",
                List.of(
                    TestTensors.fp32("INPUT0", new long[] {2, 16}, a),
                    TestTensors.fp32("INPUT1", new long[] {2, 16}, b))));

    assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    double[] sum = TestTensors.numbers(reply.output("OUTPUT0"));
    double[] difference = TestTensors.numbers(reply.output("OUTPUT1"));
    for (int i = 0; i < 32; i++) {
      assertThat(sum[i]).isEqualTo(a[i] + b[i]);
      assertThat(difference[i]).isEqualTo(a[i] - b[i]);
    }
  }

  @Test
  void pytorchTabularModelMatchesOnnxRuntimeOnTheSameWeights() {
    Random random = new Random(18);
    float[] features = new float[5 * 64];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) random.nextGaussian();
    }
    Tensor input = TestTensors.fp32("features", new long[] {5, 64}, features);

    Reply torch = rest.infer(Call.of("tabular_torch", List.of(input)));
    Reply onnx = rest.infer(Call.of("tabular_mlp", List.of(input)));

    assertThat(torch.outcome()).as(torch.message()).isEqualTo(Outcome.OK);
    assertThat(onnx.outcome()).as(onnx.message()).isEqualTo(Outcome.OK);
    assertThat(torch.output("probabilities").shape()).containsExactly(5, 2);
    double[] expected = TestTensors.numbers(onnx.output("probabilities"));
    double[] actual = TestTensors.numbers(torch.output("probabilities"));
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).isCloseTo(expected[i], within(1e-5));
    }
  }
}
