package dev.infera.server.it;

import static dev.infera.server.it.SwapModel.Kind.ADD_SUB;
import static dev.infera.server.it.SwapModel.Kind.MUL_SUB;
import static dev.infera.server.it.SwapModel.Kind.SUB_ADD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.repository.s3.S3ModelRepository;
import dev.infera.repository.s3.S3Repositories;
import dev.infera.repository.s3.TestBucket;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.it.ProtocolClient.Call;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server on an S3 model repository held by a real S3 API server (S3Proxy, started here with an
 * in-memory blob store): it serves examples/models from the bucket, and 32 clients infer without a
 * failure while POLL mode finds a version added, rewritten in place and deleted in the bucket.
 */
class S3RepositoryIT {
  private static final Logger LOG = LoggerFactory.getLogger(S3RepositoryIT.class);
  private static final Duration SETTLE = Duration.ofMillis(300);
  private static final int CLIENTS = 32;

  @RegisterExtension static final S3ProxyExtension S3 = TestBucket.server();

  @TempDir Path cache;
  @TempDir Path local;
  private TestBucket bucket;

  @BeforeEach
  void bucket() {
    bucket = TestBucket.on(S3);
  }

  @AfterEach
  void closeBucket() {
    bucket.close();
  }

  private S3ModelRepository open() {
    return S3Repositories.open(
        bucket.location("repo"), cache, SETTLE, bucket.credentials(), Clock.systemUTC());
  }

  @Test
  void servesTheExamplesFromABucket() throws Exception {
    bucket.putFolder(TestRepository.examples(), "repo/");
    try (S3ModelRepository repository = open();
        InferaServer server = InferaServer.start(ServerOptions.onFreePorts(cache), repository);
        RestClient client = new RestClient(server.httpPort(), false)) {
      var response = client.get("/v2/models/simple/ready");
      assertThat(response.statusCode()).isEqualTo(200);
      var reply = client.infer(Call.of("simple", Samples.of("simple").cases().get(0).inputs()));
      assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    }
  }

  @Test
  void pollModeSwapsVersionsFromTheBucketWithoutAFailedRequest() throws Exception {
    SwapModel.create(local, "", 1, ADD_SUB);
    bucket.sync(local, "repo/");
    try (S3ModelRepository repository = open();
        InferaServer server =
            InferaServer.start(
                ServerOptions.onFreePorts(cache)
                    .withManager(
                        ManagerOptions.defaults()
                            .withControl(ControlOptions.poll(Duration.ofMillis(100)))),
                repository);
        TrafficLoad load = TrafficLoad.start(server, CLIENTS)) {
      load.expect("1", ADD_SUB).get();

      var added = load.expect("2", SUB_ADD);
      SwapModel.install(local, 2, SUB_ADD);
      bucket.sync(local, "repo/");
      added.get();

      var replaced = load.expect("2", MUL_SUB);
      SwapModel.replace(local, 2, MUL_SUB);
      bucket.sync(local, "repo/");
      replaced.get();

      var removed = load.expect("1", ADD_SUB);
      SwapModel.remove(local, 2);
      bucket.sync(local, "repo/");
      removed.get();

      load.close();
      LOG.info("{} answers during the swaps: {}", load.total(), load.answers());
      assertThat(load.failures()).isEmpty();
      assertThat(load.seenAnswers())
          .containsExactlyInAnyOrderElementsOf(
              List.of(
                  TrafficLoad.answer("1", ADD_SUB),
                  TrafficLoad.answer("2", SUB_ADD),
                  TrafficLoad.answer("2", MUL_SUB)));
      assertThat(Files.list(cache.resolve(SwapModel.NAME)))
          .as("mirrors no version serves any more are deleted")
          .hasSizeLessThanOrEqualTo(4);
    }
  }
}
