package dev.infera.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code infera rollout start|status|promote|abort|history}: drives the canary rollouts of a
 * running server over its REST API (docs/rollouts.md). Exit code 0 when the server did what was
 * asked, 1 with the server's error message otherwise.
 */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = "Start, watch, promote and abort canary rollouts of a running server.",
    subcommands = {
      RolloutCommand.Start.class,
      RolloutCommand.Status.class,
      RolloutCommand.Promote.class,
      RolloutCommand.Abort.class,
      RolloutCommand.History.class
    })
final class RolloutCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A call about one model's rollout. */
  abstract static class RolloutCall extends ModelsCommand.ClientCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model.")
    String model;

    String path(String tail) {
      return "/v2/models/" + model + "/rollout" + tail;
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Start a canary rollout: the candidate gets each step's share of the requests naming no version; at the end of each step it is judged against the stable version and advanced, promoted or rolled back.")
  static final class Start extends RolloutCall {
    @Option(
        names = "--candidate",
        required = true,
        paramLabel = "VERSION",
        description = "The version rolled out.")
    String candidate;

    @Option(
        names = "--stable",
        paramLabel = "VERSION",
        description = "The baseline. Default: the version serving now.")
    String stable;

    @Option(
        names = "--steps",
        split = ",",
        paramLabel = "PERCENT",
        description = "The candidate's share per step, strictly increasing. Default: 5,25,50,100.")
    List<Integer> steps;

    @Option(
        names = "--step-duration",
        paramLabel = "DURATION",
        description =
            "How long each step runs before it is judged (500ms, 60s, 5m, 1h). Default: 60s.")
    String stepDuration;

    @Option(
        names = "--max-extensions",
        paramLabel = "N",
        description =
            "How often an inconclusive step is extended before the rollout is rolled back. Default: 3.")
    Integer maxExtensions;

    @Option(
        names = "--min-requests",
        paramLabel = "N",
        description =
            "Requests each side needs in a step before a check can pass or fail. Default: 100.")
    Long minRequests;

    @Option(
        names = "--max-error-rate-delta",
        paramLabel = "RATE",
        description =
            "How much higher the candidate's error rate may be (0.01 = 1 point). Default: 0.01.")
    Double maxErrorRateDelta;

    @Option(
        names = "--max-p99-ratio",
        paramLabel = "RATIO",
        description = "How much slower the candidate's p99 latency may be. Default: 1.5.")
    Double maxP99Ratio;

    @Option(
        names = "--max-output-psi",
        paramLabel = "PSI",
        description =
            "Largest population stability index of an output's distribution. Default: 0.2.")
    Double maxOutputPsi;

    @Option(
        names = "--max-ks",
        paramLabel = "D",
        description =
            "Largest Kolmogorov-Smirnov distance of an output's distribution. Default: 0.2.")
    Double maxKs;

    @Option(
        names = "--alpha",
        paramLabel = "P",
        description = "Significance level of the tests. Default: 0.01.")
    Double alpha;

    @Override
    void run(RepositoryClient client, PrintWriter out) {
      ObjectNode body = JSON.createObjectNode().put("candidate", candidate);
      if (stable != null) {
        body.put("stable", stable);
      }
      if (steps != null) {
        ArrayNode array = body.putArray("steps");
        steps.forEach(array::add);
      }
      if (stepDuration != null) {
        body.put("step_duration", stepDuration);
      }
      if (maxExtensions != null) {
        body.put("max_extensions", maxExtensions);
      }
      if (minRequests != null) {
        body.put("min_requests", minRequests);
      }
      putIf(body, "max_error_rate_delta", maxErrorRateDelta);
      putIf(body, "max_p99_ratio", maxP99Ratio);
      putIf(body, "max_output_psi", maxOutputPsi);
      putIf(body, "max_ks", maxKs);
      putIf(body, "alpha", alpha);
      print(RepositoryClient.readObject(client.send("POST", path(""), Optional.of(body))), out);
    }

    private static void putIf(ObjectNode body, String field, Double value) {
      if (value != null) {
        body.put(field, value);
      }
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show the model's latest rollout and its last judgement.")
  static final class Status extends RolloutCall {
    @Option(names = "--json", description = "Print the server's JSON as it is.")
    boolean json;

    @Override
    void run(RepositoryClient client, PrintWriter out) {
      JsonNode status = RepositoryClient.readObject(client.send("GET", path(""), Optional.empty()));
      if (json) {
        out.println(status.toPrettyString());
      } else {
        print(status, out);
      }
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description = "Promote the running rollout's candidate now.")
  static final class Promote extends RolloutCall {
    @Override
    void run(RepositoryClient client, PrintWriter out) {
      print(
          RepositoryClient.readObject(client.send("POST", path("/promote"), Optional.empty())),
          out);
    }
  }

  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description = "Abort the running rollout: all traffic back to the stable version.")
  static final class Abort extends RolloutCall {
    @Override
    void run(RepositoryClient client, PrintWriter out) {
      print(
          RepositoryClient.readObject(client.send("POST", path("/abort"), Optional.empty())), out);
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = "List every decision about the model's traffic, oldest first.")
  static final class History extends RolloutCall {
    @Override
    void run(RepositoryClient client, PrintWriter out) {
      JsonNode decisions =
          RepositoryClient.readArray(client.send("GET", path("/history"), Optional.empty()));
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"AT", "DECISION", "BY", "STEP", "WEIGHT", "REASON"});
      for (JsonNode d : decisions) {
        rows.add(
            new String[] {
              d.path("at").asText(),
              d.path("decision").asText(),
              d.path("by").asText(),
              d.path("step").asText(""),
              d.path("weight").asText(""),
              d.path("reason").asText()
            });
      }
      Table.print(rows, out);
    }
  }

  /** A status in a few lines: state, step, weight, versions, reason and each check's verdict. */
  static void print(JsonNode s, PrintWriter out) {
    out.printf(
        "model %s: %s, step %s of %d at %s %% (stable %s, candidate %s)%n",
        s.path("model").asText(),
        s.path("state").asText(),
        s.path("step").asText(),
        s.path("steps").size(),
        s.path("weight").asText(),
        s.path("stable").asText(),
        s.path("candidate").asText());
    if (!s.path("reason").asText().isEmpty()) {
      out.println("reason: " + s.path("reason").asText());
    }
    JsonNode judgement = s.path("last_judgement");
    if (!judgement.isMissingNode()) {
      out.println(
          "last judgement: "
              + judgement.path("verdict").asText()
              + " at "
              + judgement.path("at").asText());
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"CHECK", "VERDICT", "DETAIL"});
      for (JsonNode check : judgement.path("checks")) {
        rows.add(
            new String[] {
              check.path("name").asText(),
              check.path("verdict").asText(),
              check.path("detail").asText()
            });
      }
      Table.print(rows, out);
    }
  }
}
