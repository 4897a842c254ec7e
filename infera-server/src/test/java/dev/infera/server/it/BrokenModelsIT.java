package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Metadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A repository with broken models beside good ones: each broken model is UNAVAILABLE with its
 * reason in its metadata and ready answers (REST and gRPC), every other model serves, and the
 * server is live but not ready.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokenModelsIT {
  private InferaServer server;
  private RestClient rest;
  private GrpcClient grpc;

  @BeforeAll
  void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-broken-repo");
    TestRepository.copyInto(TestRepository.examples().resolve("simple"), repo.resolve("simple"));
    Path onnx = repo.resolve("simple/1/model.onnx");

    Path badConfig = Files.createDirectories(repo.resolve("bad_config/1"));
    Files.copy(onnx, badConfig.resolve("model.onnx"));
    Files.writeString(
        repo.resolve("bad_config/config.pbtxt"),
        "platform: \"onnxruntime_onnx\"\nmax_batch_size: 8\ninput [ { name: \"INPUT0\" data_type: TYPE_INT33 dims: [ 16 ] } ]\n");

    Path corrupt = Files.createDirectories(repo.resolve("corrupt_file/1"));
    Files.writeString(corrupt.resolve("model.onnx"), "this is not an ONNX model");

    Files.createDirectories(repo.resolve("missing_file/1"));
    Files.writeString(
        repo.resolve("missing_file/config.pbtxt"), "platform: \"onnxruntime_onnx\"\n");

    Path mismatch = Files.createDirectories(repo.resolve("wrong_tensor/1"));
    Files.copy(onnx, mismatch.resolve("model.onnx"));
    Files.writeString(
        repo.resolve("wrong_tensor/config.pbtxt"),
        "platform: \"onnxruntime_onnx\"\nmax_batch_size: 8\ninput [ { name: \"NOPE\" data_type: TYPE_INT32 dims: [ 16 ] } ]\n");

    TestRepository.copyInto(TestRepository.examples().resolve("simple"), repo.resolve("latin1"));
    Path latin1 = repo.resolve("latin1/config.pbtxt");
    Files.write(
        latin1,
        (Files.readString(latin1).replace("name: \"simple\"", "name: \"latin1\"") + "# caf\u00e9\n")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    Path notANumber = Files.createDirectories(repo.resolve("no_version/v1"));
    Files.copy(onnx, notANumber.resolve("model.onnx"));

    Files.createSymbolicLink(repo.resolve("loop"), Path.of("loop"));

    server = InferaServer.start(ServerOptions.onFreePorts(repo));
    rest = new RestClient(server.httpPort(), false);
    grpc = new GrpcClient(server.grpcPort(), false);
  }

  @AfterAll
  void stop() {
    grpc.close();
    server.close();
  }

  @Test
  void goodModelStillServes() {
    ProtocolClient.Reply reply =
        rest.infer(Call.of("simple", Samples.of("simple").cases().get(0).inputs()));

    assertThat(reply.outcome()).isEqualTo(Outcome.OK);
    assertThat(
            grpc.infer(Call.of("simple", Samples.of("simple").cases().get(0).inputs())).outcome())
        .isEqualTo(Outcome.OK);
  }

  @Test
  void serverIsLiveButNotReady() {
    assertThat(rest.serverLive()).isTrue();
    assertThat(rest.serverReady()).isFalse();
    assertThat(grpc.serverReady()).isFalse();
  }

  @Test
  void badConfigReasonNamesTheProblem() {
    assertUnavailable("bad_config", "TYPE_INT33");
  }

  @Test
  void corruptFileReasonNamesTheFile() {
    assertUnavailable("corrupt_file", "model.onnx");
  }

  @Test
  void missingFileReasonNamesTheFile() {
    assertUnavailable("missing_file", "model.onnx");
  }

  @Test
  void configThatIsNotUtf8ReasonNamesTheLine() {
    assertUnavailable("latin1", "config.pbtxt is not valid UTF-8 (line ");
  }

  @Test
  void configNotMatchingTheFileIsReported() {
    assertUnavailable("wrong_tensor", "NOPE");
  }

  @Test
  void versionFolderThatIsNoNumberIsNamed() {
    assertUnavailable("no_version", "'v1' is not a version number");
  }

  @Test
  void modelFolderThatLinksToItselfIsUnavailableNotAbsent() {
    assertUnavailable("loop", "the model folder cannot be read: a symbolic link that loops");
  }

  @Test
  void theReadyAnswerNamesTheReasonWithoutTheServersPaths() {
    java.net.http.HttpResponse<byte[]> ready = rest.get("/v2/models/bad_config/ready");

    assertThat(ready.statusCode()).isEqualTo(503);
    String body = new String(ready.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(body).contains("config.pbtxt").contains("TYPE_INT33");
    assertThat(body)
        .doesNotContain(System.getProperty("java.io.tmpdir"))
        .doesNotContain("/bad_config/");
  }

  private void assertUnavailable(String model, String mention) {
    Metadata overRest = rest.metadata(model, null);
    Metadata overGrpc = grpc.metadata(model, null);
    ProtocolClient.Reply infer =
        rest.infer(Call.of(model, Samples.of("simple").cases().get(0).inputs()));

    assertThat(overRest.outcome()).isEqualTo(Outcome.UNAVAILABLE);
    assertThat(overRest.message()).contains(model).contains(mention);
    assertThat(overGrpc.outcome()).isEqualTo(Outcome.UNAVAILABLE);
    assertThat(overGrpc.message()).contains(mention);
    assertThat(infer.outcome()).isEqualTo(Outcome.UNAVAILABLE);
    assertThat(infer.message()).contains(mention);
    assertThat(rest.modelReady(model, null)).isNotEqualTo(Outcome.OK);
    assertThat(grpc.modelReady(model, null)).isNotEqualTo(Outcome.OK);
  }
}
