package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.it.ScoreModels.Candidate;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traffic policies on a real server: weighted splits hold within statistical tolerance, sticky keys
 * keep their variant, a shadow never answers but is compared, a request naming a version gets that
 * version, feedback is credited, and bad input is a clear 4xx that disturbs nothing. The split,
 * sticky, shadow and cross-model scenarios each run under 32 concurrent clients with zero failed
 * requests.
 */
class TrafficPolicyIT {
  private static InferaServer server;
  private static TrafficAdmin admin;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Random random = new Random(11);

  @BeforeAll
  static void start() throws Exception {
    Path repo = Files.createTempDirectory("infera-traffic");
    ScoreModels.add(repo, "split", Candidate.SAME);
    ScoreModels.add(repo, "sticky", Candidate.SAME);
    ScoreModels.add(repo, "shadowed", Candidate.SHIFTED);
    ScoreModels.add(repo, "checked", Candidate.SAME);
    ScoreModels.add(repo, "arch_a", Candidate.SAME);
    ScoreModels.add(repo, "arch_b", Candidate.SHIFTED); // its version 2 answers 3.0 more
    server = InferaServer.start(ServerOptions.onFreePorts(repo));
    admin = new TrafficAdmin(server.httpPort());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static final int CLIENTS = 32;

  /** Which routing key a client sends with its i-th request (empty: none). */
  private interface KeyOf {
    Optional<String> key(int client, int i);
  }

  /**
   * Sends {@code perClient} requests from each of 32 concurrent clients; every answer must be 200
   * with the value the unshifted model computes. Returns each answer with the key it was sent with.
   */
  private static List<Map.Entry<Optional<String>, ScoreTraffic.Answer>> concurrently(
      String model, int perClient, KeyOf keys) throws Exception {
    return concurrently(model, perClient, keys, answer -> 0.0);
  }

  /** As above, where the answer may be shifted by what {@code shiftOf} says for its variant. */
  private static List<Map.Entry<Optional<String>, ScoreTraffic.Answer>> concurrently(
      String model,
      int perClient,
      KeyOf keys,
      java.util.function.ToDoubleFunction<ScoreTraffic.Answer> shiftOf)
      throws Exception {
    List<Map.Entry<Optional<String>, ScoreTraffic.Answer>> answers =
        java.util.Collections.synchronizedList(new ArrayList<>());
    LongAdder failed = new LongAdder();
    AtomicReference<String> lastProblem = new AtomicReference<>("");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Random r = new Random(2000 + c);
        runs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perClient; i++) {
                    double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), 1.0};
                    Optional<String> key = keys.key(client, i);
                    try {
                      ScoreTraffic.Answer answer =
                          ScoreTraffic.infer(
                              http, server.httpPort(), model, x, key, Optional.empty());
                      if (answer.status() != 200
                          || Math.abs(
                                  answer.value()
                                      - ScoreModels.expected(x)
                                      - shiftOf.applyAsDouble(answer))
                              > 1e-3) {
                        failed.increment();
                        lastProblem.set(answer.status() + " " + answer.body());
                        continue;
                      }
                      answers.add(Map.entry(key, answer));
                    } catch (Exception e) {
                      failed.increment();
                      lastProblem.set(e.toString());
                    }
                  }
                }));
      }
      for (Future<?> run : runs) {
        run.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(failed.sum()).as(lastProblem.get()).isZero();
    assertThat(answers).hasSize(CLIENTS * perClient);
    return answers;
  }

  /** {@code model:version} of the variant that answered. */
  private static String variantOf(ScoreTraffic.Answer answer) {
    try {
      return ScoreTraffic.JSON.readTree(answer.body()).path("model_name").asText()
          + ":"
          + answer.version();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ScoreTraffic.Answer infer(String model, Optional<String> key, Optional<String> id)
      throws Exception {
    double[] x = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), 1.0};
    ScoreTraffic.Answer answer = ScoreTraffic.infer(HTTP, server.httpPort(), model, x, key, id);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.value())
        .isCloseTo(ScoreModels.expected(x), org.assertj.core.data.Offset.offset(1e-3));
    return answer;
  }

  @Test
  void weightsHoldWithinStatisticalTolerance() throws Exception {
    admin.ok(
        "PUT",
        "/v2/models/split/traffic",
        """
        {"split": [{"version": "1", "weight": 30}, {"version": "2", "weight": 70}], "sticky": false}
        """);
    int n = CLIENTS * 32;
    long second =
        concurrently("split", 32, (c, i) -> Optional.empty()).stream()
            .filter(answer -> answer.getValue().version().equals("2"))
            .count();
    double sigma = Math.sqrt(n * 0.7 * 0.3);
    assertThat((double) second).isBetween(n * 0.7 - 5 * sigma, n * 0.7 + 5 * sigma);
    assertThat(infer("split", Optional.empty(), Optional.empty()).version()).isIn("1", "2");
  }

  @Test
  void aSplitBetweenTwoModelsWithTheSameSignatureHoldsUnderThirtyTwoClients() throws Exception {
    JsonNode policy =
        admin.ok(
            "PUT",
            "/v2/models/arch_a/traffic",
            """
            {"split": [{"version": "1", "weight": 60},
                       {"model": "arch_b", "version": "2", "weight": 40}], "sticky": false}
            """);
    assertThat(policy.path("split").get(1).path("model").asText()).isEqualTo("arch_b");
    int perClient = 40;
    Map<String, LongAdder> byVariant = new ConcurrentHashMap<>();
    for (var answer :
        concurrently(
            "arch_a",
            perClient,
            (c, i) -> Optional.empty(),
            a -> variantOf(a).equals("arch_b:2") ? 3.0 : 0.0)) { // its version 2 adds 3.0
      byVariant.computeIfAbsent(variantOf(answer.getValue()), v -> new LongAdder()).increment();
    }
    int n = CLIENTS * perClient;
    System.out.printf("cross-model split of %d answers: %s%n", n, byVariant);
    assertThat(byVariant.keySet()).containsExactlyInAnyOrder("arch_a:1", "arch_b:2");
    double sigma = Math.sqrt(n * 0.4 * 0.6);
    assertThat((double) byVariant.get("arch_b:2").sum())
        .isBetween(n * 0.4 - 5 * sigma, n * 0.4 + 5 * sigma);
    assertThat(Metrics.scrape(server.metricsPort()))
        .contains("infera_variant_requests_total{model=\"arch_a\",variant=\"arch_b:2\"}");

    // A rollout would replace this policy by one of arch_a's own versions: refused, policy kept.
    expect(
        admin.send("POST", "/v2/models/arch_a/rollout", "{\"candidate\": \"2\"}"),
        400,
        "sends requests to model 'arch_b' version '2'; a rollout compares two versions of"
            + " 'arch_a' and would replace that policy: remove it first");
    assertThat(
            admin
                .ok("GET", "/v2/models/arch_a/traffic", null)
                .path("split")
                .get(1)
                .path("model")
                .asText())
        .isEqualTo("arch_b");
  }

  @Test
  void stickyKeysKeepTheirVariantAcrossMoreThanAThousandRequests() throws Exception {
    admin.ok(
        "PUT",
        "/v2/models/sticky/traffic",
        """
        {"split": [{"version": "1", "weight": 50}, {"version": "2", "weight": 50}], "sticky": true}
        """);
    Map<String, Set<String>> seen = new HashMap<>();
    for (var answer :
        concurrently("sticky", 32, (c, i) -> Optional.of("user-" + ((c * 32 + i) % 50)))) {
      seen.computeIfAbsent(answer.getKey().orElseThrow(), k -> new HashSet<>())
          .add(answer.getValue().version());
    }
    assertThat(seen).hasSize(50);
    assertThat(seen.values()).allSatisfy(versions -> assertThat(versions).hasSize(1));
    assertThat(seen.values().stream().map(v -> v.iterator().next()).distinct())
        .containsExactlyInAnyOrder("1", "2");
  }

  @Test
  void aShadowNeverAnswersAndReportsAgreement() throws Exception {
    admin.ok(
        "PUT",
        "/v2/models/shadowed/traffic",
        """
        {"split": [{"version": "1", "weight": 100}], "shadow": {"version": "2", "fraction": 1.0}}
        """);
    assertThat(concurrently("shadowed", 10, (c, i) -> Optional.empty()))
        .allSatisfy(answer -> assertThat(answer.getValue().version()).isEqualTo("1"));
    JsonNode comparison = null;
    for (int attempt = 0; attempt < 600; attempt++) { // the last copies finish after their answers
      comparison =
          admin.ok("GET", "/v2/models/shadowed/traffic", null).path("shadow_comparison").path("2");
      if (comparison.path("compared").asLong() + comparison.path("dropped").asLong() >= 320) {
        break;
      }
      Thread.sleep(50); // polling a remote count, not timing a behaviour
    }
    assertThat(comparison.path("compared").asLong()).isPositive();
    assertThat(comparison.path("agreement_rate").asDouble()).isZero();
    assertThat(comparison.path("outputs").path("OUTPUT0").path("mean_abs_diff").asDouble())
        .isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(Metrics.scrape(server.metricsPort()))
        .contains("infera_shadow_requests_total{model=\"shadowed\",variant=\"2\"}");
  }

  @Test
  void aRequestNamingAVersionGetsExactlyThatVersionAndFeedbackIsCredited() throws Exception {
    admin.ok(
        "PUT",
        "/v2/models/checked/traffic",
        """
        {"split": [{"version": "1", "weight": 100}]}
        """);
    double[] x = {1, 2, 3, 1};
    ScoreTraffic.Answer named =
        ScoreTraffic.infer(
            HTTP, server.httpPort(), "checked/versions/2", x, Optional.empty(), Optional.empty());
    assertThat(named.version()).isEqualTo("2");

    String variant = infer("checked", Optional.empty(), Optional.of("req-42")).version();
    JsonNode credited =
        admin.ok("POST", "/v2/models/checked/feedback", "{\"id\": \"req-42\", \"reward\": 1.5}");
    assertThat(credited.path("variant").asText()).isEqualTo(variant);
  }

  @Test
  void badInputIsAClearClientErrorAndDisturbsNothing() throws Exception {
    admin.ok(
        "POST",
        "/v2/models/checked/rollout",
        """
        {"candidate": "2", "stable": "1", "steps": [5, 100], "step_duration": "1h"}
        """);
    expect(
        admin.send("POST", "/v2/models/nope/rollout", "{\"candidate\": \"2\"}"),
        404,
        "model 'nope' is not found");
    expect(
        admin.send("POST", "/v2/models/split/rollout", "{\"candidate\": \"9\"}"),
        404,
        "version '9'");
    expect(
        admin.send("POST", "/v2/models/split/rollout", "{\"candidate\": \"1\", \"stable\": \"1\"}"),
        400,
        "is the stable version");
    expect(
        admin.send(
            "POST", "/v2/models/checked/rollout", "{\"candidate\": \"2\", \"stable\": \"1\"}"),
        400,
        "running rollout");
    expect(
        admin.send(
            "POST",
            "/v2/models/split/rollout",
            "{\"candidate\": \"2\", \"stable\": \"1\", \"steps\": [50, 20]}"),
        400,
        "strictly increasing");
    expect(
        admin.send(
            "PUT",
            "/v2/models/split/traffic",
            "{\"split\": [{\"version\": \"1\", \"weight\": 60}, {\"version\": \"2\", \"weight\": 30}]}"),
        400,
        "sum to 90 (expected 100)");
    expect(
        admin.send(
            "POST", "/v2/models/checked/feedback", "{\"id\": \"never-sent\", \"reward\": 1}"),
        404,
        "no recent request with id 'never-sent'");
    expect(
        admin.send("POST", "/v2/models/checked/rollout", "{\"candidate\": \"2\", \"colour\": 1}"),
        400,
        "unknown field 'colour'");
    expect(
        admin.send(
            "PUT",
            "/v2/models/split/traffic",
            "{\"split\": [{\"version\": \"1\", \"weight\": 99999999999999999999}]}"),
        400,
        "'weight': 99999999999999999999 (expected a whole number)");
    expect(
        admin.send(
            "PUT",
            "/v2/models/split/traffic",
            "{\"split\": [{\"version\": \"1\", \"weight\": 4294967396}]}"),
        400,
        "'weight': 4294967396 (expected a whole number of at most 2147483647)");
    for (String reward : new String[] {"NaN", "-Infinity", "1e999"}) {
      expect(
          admin.send(
              "POST", "/v2/models/checked/feedback", "{\"id\": \"x\", \"reward\": " + reward + "}"),
          400,
          "(expected a finite number)");
    }

    JsonNode status = admin.status("checked");
    assertThat(status.path("state").asText()).isEqualTo("RUNNING");
    assertThat(status.path("weight").asInt()).isEqualTo(5);
    JsonNode aborted = admin.ok("POST", "/v2/models/checked/rollout/abort", null);
    assertThat(aborted.path("state").asText()).isEqualTo("ABORTED");
  }

  private static void expect(TrafficAdmin.Reply reply, int status, String message) {
    assertThat(reply.status()).as(reply.json().toString()).isEqualTo(status);
    assertThat(reply.error()).contains(message);
  }
}
