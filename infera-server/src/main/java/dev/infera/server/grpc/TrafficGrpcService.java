package dev.infera.server.grpc;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.core.routing.rollout.RolloutSpec;
import dev.infera.core.routing.rollout.TrafficManager;
import dev.infera.server.grpc.traffic.AbortRolloutRequest;
import dev.infera.server.grpc.traffic.Check;
import dev.infera.server.grpc.traffic.ClearTrafficRequest;
import dev.infera.server.grpc.traffic.ClearTrafficResponse;
import dev.infera.server.grpc.traffic.Criteria;
import dev.infera.server.grpc.traffic.Decision;
import dev.infera.server.grpc.traffic.FeedbackRequest;
import dev.infera.server.grpc.traffic.FeedbackResponse;
import dev.infera.server.grpc.traffic.GetRolloutRequest;
import dev.infera.server.grpc.traffic.GetTrafficRequest;
import dev.infera.server.grpc.traffic.Judgement;
import dev.infera.server.grpc.traffic.OutputDifference;
import dev.infera.server.grpc.traffic.PromoteRolloutRequest;
import dev.infera.server.grpc.traffic.RolloutHistoryRequest;
import dev.infera.server.grpc.traffic.RolloutHistoryResponse;
import dev.infera.server.grpc.traffic.RolloutState;
import dev.infera.server.grpc.traffic.RolloutStatus;
import dev.infera.server.grpc.traffic.SetTrafficRequest;
import dev.infera.server.grpc.traffic.Shadow;
import dev.infera.server.grpc.traffic.ShadowComparison;
import dev.infera.server.grpc.traffic.StartRolloutRequest;
import dev.infera.server.grpc.traffic.TrafficPolicy;
import dev.infera.server.grpc.traffic.TrafficServiceGrpc;
import dev.infera.server.grpc.traffic.Variant;
import dev.infera.server.grpc.traffic.VariantFeedback;
import dev.infera.server.grpc.traffic.Verdict;
import dev.infera.server.grpc.traffic.WindowCounts;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code infera.traffic.v1.TrafficService} RPCs (traffic_service.proto) over the server's
 * {@link TrafficManager}: the gRPC twin of the REST traffic API. Every check is the manager's (the
 * same as over REST); this class only reads the typed messages, fills in the documented defaults
 * and writes the answers. Failures reach the client through {@link GrpcStatusMapping}.
 */
public final class TrafficGrpcService extends TrafficServiceGrpc.TrafficServiceImplBase {
  /** The metadata key naming who made a change, as the REST header of the same name. */
  static final String USER_KEY = "x-infera-user";

  private final TrafficManager traffic;

  public TrafficGrpcService(TrafficManager traffic) {
    this.traffic = Objects.requireNonNull(traffic, "traffic");
  }

  @Override
  public void getTraffic(GetTrafficRequest request, StreamObserver<TrafficPolicy> observer) {
    KserveGrpcService.respond("GetTraffic", observer, () -> policy(model(request.getModel())));
  }

  @Override
  public void setTraffic(SetTrafficRequest request, StreamObserver<TrafficPolicy> observer) {
    KserveGrpcService.respond(
        "SetTraffic",
        observer,
        () -> {
          String model = model(request.getModel());
          List<dev.infera.core.routing.Variant> split = new ArrayList<>();
          for (Variant v : request.getSplitList()) {
            split.add(
                new dev.infera.core.routing.Variant(
                    orModel(v.getModel(), model), v.getVersion(), v.getWeight()));
          }
          if (split.isEmpty()) {
            throw InferenceException.invalidArgument(
                "traffic policy: 'split' is empty (expected at least one {version, weight})");
          }
          Optional<dev.infera.core.routing.Shadow> shadow = Optional.empty();
          if (request.hasShadow()) {
            Shadow s = request.getShadow();
            shadow =
                Optional.of(
                    new dev.infera.core.routing.Shadow(
                        orModel(s.getModel(), model),
                        s.getVersion(),
                        s.hasFraction() ? s.getFraction() : 1.0));
          }
          traffic.setPolicy(
              model,
              new dev.infera.core.routing.TrafficPolicy(
                  split,
                  !request.hasSticky() || request.getSticky(),
                  shadow,
                  !request.hasFallback() || request.getFallback()),
              by());
          return policy(model);
        });
  }

  @Override
  public void clearTraffic(
      ClearTrafficRequest request, StreamObserver<ClearTrafficResponse> observer) {
    KserveGrpcService.respond(
        "ClearTraffic",
        observer,
        () -> {
          traffic.clearPolicy(model(request.getModel()), by());
          return ClearTrafficResponse.getDefaultInstance();
        });
  }

  @Override
  public void startRollout(StartRolloutRequest request, StreamObserver<RolloutStatus> observer) {
    KserveGrpcService.respond(
        "StartRollout",
        observer,
        () -> {
          String model = model(request.getModel());
          if (!request.hasCandidate()) {
            throw InferenceException.invalidArgument(
                "rollout: 'candidate' is missing (expected the version to roll out)");
          }
          var d = dev.infera.core.routing.rollout.Criteria.DEFAULTS;
          var criteria =
              new dev.infera.core.routing.rollout.Criteria(
                  request.hasMinRequests() ? request.getMinRequests() : d.minRequests(),
                  request.hasMaxErrorRateDelta()
                      ? request.getMaxErrorRateDelta()
                      : d.maxErrorRateDelta(),
                  request.hasMaxP99Ratio() ? request.getMaxP99Ratio() : d.maxP99Ratio(),
                  request.hasMaxOutputPsi() ? request.getMaxOutputPsi() : d.maxOutputPsi(),
                  request.hasMaxKs() ? request.getMaxKs() : d.maxKs(),
                  request.hasAlpha() ? request.getAlpha() : d.alpha());
          traffic.startRollout(
              model,
              request.hasStable() ? Optional.of(request.getStable()) : Optional.empty(),
              request.getCandidate(),
              request.getStepsCount() == 0 ? RolloutSpec.DEFAULT_STEPS : request.getStepsList(),
              stepDuration(request),
              request.hasMaxExtensions()
                  ? request.getMaxExtensions()
                  : RolloutSpec.DEFAULT_EXTENSIONS,
              criteria,
              by());
          return status(model);
        });
  }

  @Override
  public void getRollout(GetRolloutRequest request, StreamObserver<RolloutStatus> observer) {
    KserveGrpcService.respond("GetRollout", observer, () -> status(model(request.getModel())));
  }

  @Override
  public void promoteRollout(
      PromoteRolloutRequest request, StreamObserver<RolloutStatus> observer) {
    KserveGrpcService.respond(
        "PromoteRollout",
        observer,
        () -> {
          String model = model(request.getModel());
          traffic.promote(model, by());
          return status(model);
        });
  }

  @Override
  public void abortRollout(AbortRolloutRequest request, StreamObserver<RolloutStatus> observer) {
    KserveGrpcService.respond(
        "AbortRollout",
        observer,
        () -> {
          String model = model(request.getModel());
          traffic.abort(model, by());
          return status(model);
        });
  }

  @Override
  public void rolloutHistory(
      RolloutHistoryRequest request, StreamObserver<RolloutHistoryResponse> observer) {
    KserveGrpcService.respond(
        "RolloutHistory",
        observer,
        () -> {
          String model = model(request.getModel());
          RolloutHistoryResponse.Builder out = RolloutHistoryResponse.newBuilder().setModel(model);
          for (var d : traffic.history(model)) {
            Decision.Builder decision =
                out.addDecisionsBuilder()
                    .setAt(Timestamps.fromMillis(d.atMillis()))
                    .setDecision(d.kind())
                    .setBy(d.by())
                    .setReason(d.reason());
            if (!d.kind().equals("policy")) {
              decision
                  .setStable(d.stable())
                  .setCandidate(d.candidate())
                  .setStep(d.step() + 1)
                  .setWeight(d.weight());
            }
            d.judgement().ifPresent(j -> decision.setJudgement(judgement(j)));
          }
          return out.build();
        });
  }

  @Override
  public void feedback(FeedbackRequest request, StreamObserver<FeedbackResponse> observer) {
    KserveGrpcService.respond(
        "Feedback",
        observer,
        () -> {
          String model = model(request.getModel());
          if (request.getId().isEmpty()) {
            throw InferenceException.invalidArgument(
                "feedback: 'id' is missing (expected the request id)");
          }
          String variant =
              traffic.feedback(
                  model,
                  request.getId(),
                  request.hasGroundTruth()
                      ? Optional.of(request.getGroundTruth())
                      : Optional.empty(),
                  request.hasReward() ? Optional.of(request.getReward()) : Optional.empty());
          return FeedbackResponse.newBuilder().setId(request.getId()).setVariant(variant).build();
        });
  }

  // ---- reading requests

  private static String model(String model) {
    if (model.isEmpty()) {
      throw InferenceException.invalidArgument("'model' is missing (expected a model name)");
    }
    return model;
  }

  private static String orModel(String target, String model) {
    return target.isEmpty() ? model : target;
  }

  private static Duration stepDuration(StartRolloutRequest request) {
    if (!request.hasStepDuration()) {
      return RolloutSpec.DEFAULT_STEP;
    }
    com.google.protobuf.Duration d = request.getStepDuration();
    if (!Durations.isValid(d)) {
      throw InferenceException.invalidArgument(
          "'step_duration': "
              + d.getSeconds()
              + " s "
              + d.getNanos()
              + " ns (expected a valid duration such as 60 s)");
    }
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  /** Who made a change: the {@code x-infera-user} metadata, else "api" (as over REST). */
  private static String by() {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    String user = ctx == null ? null : ctx.request().headers().get(USER_KEY);
    return user == null || user.isBlank() ? "api" : user;
  }

  // ---- writing answers

  private TrafficPolicy policy(String model) {
    dev.infera.core.routing.TrafficPolicy policy =
        traffic
            .policy(model)
            .orElseThrow(
                () ->
                    new InferenceException(
                        ErrorCode.NOT_FOUND, "model '" + model + "' has no traffic policy"));
    TrafficPolicy.Builder out =
        TrafficPolicy.newBuilder()
            .setModel(model)
            .setSticky(policy.sticky())
            .setFallback(policy.fallback());
    for (var v : policy.split()) {
      out.addSplit(
          Variant.newBuilder().setModel(v.model()).setVersion(v.version()).setWeight(v.weight()));
    }
    policy
        .shadow()
        .ifPresent(
            s ->
                out.setShadow(
                    Shadow.newBuilder()
                        .setModel(s.model())
                        .setVersion(s.version())
                        .setFraction(s.fraction())));
    traffic
        .shadowSummary(model)
        .forEach(
            (variant, s) -> {
              ShadowComparison.Builder comparison =
                  ShadowComparison.newBuilder()
                      .setCompared(s.compared())
                      .setDropped(s.dropped())
                      .setAgreementRate(s.agreementRate());
              s.outputs()
                  .forEach(
                      (name, o) ->
                          comparison.putOutputs(
                              name,
                              OutputDifference.newBuilder()
                                  .setMeanAbsDiff(o.meanAbsDiff())
                                  .setMaxAbsDiff(o.maxAbsDiff())
                                  .setClassAgreement(o.classAgreement())
                                  .build()));
              out.putShadowComparison(variant, comparison.build());
            });
    return out.build();
  }

  private RolloutStatus status(String model) {
    var status = traffic.status(model);
    var spec = status.spec();
    var c = spec.criteria();
    RolloutStatus.Builder out =
        RolloutStatus.newBuilder()
            .setModel(spec.model())
            .setState(RolloutState.valueOf(status.state().name()))
            .setStep(status.step() + 1)
            .setWeight(status.weight())
            .setStable(spec.stable())
            .setCandidate(spec.candidate())
            .setReason(status.reason())
            .addAllSteps(spec.steps())
            .setStepDuration(Durations.fromMillis(spec.stepMillis()))
            .setExtensions(status.extensions())
            .setMaxExtensions(spec.maxExtensions())
            .setStartedBy(spec.startedBy())
            .setStepStarted(Timestamps.fromMillis(status.stepStartedMillis()))
            .setUpdated(Timestamps.fromMillis(status.updatedMillis()))
            .setCriteria(
                Criteria.newBuilder()
                    .setMinRequests(c.minRequests())
                    .setMaxErrorRateDelta(c.maxErrorRateDelta())
                    .setMaxP99Ratio(c.maxP99Ratio())
                    .setMaxOutputPsi(c.maxOutputPsi())
                    .setMaxKs(c.maxKs())
                    .setAlpha(c.alpha()));
    if (!status.state().finished()) {
      out.setStepDue(Timestamps.fromMillis(status.dueMillis()));
    }
    status.lastJudgement().ifPresent(j -> out.setLastJudgement(judgement(j)));
    traffic
        .windows(model)
        .forEach(
            (variant, sample) ->
                out.putWindow(
                    variant,
                    WindowCounts.newBuilder()
                        .setRequests(sample.requests())
                        .setErrors(sample.errors())
                        .build()));
    traffic
        .feedbackSummary(model)
        .forEach(
            (variant, f) ->
                out.putFeedback(
                    variant,
                    VariantFeedback.newBuilder()
                        .setLabelled(f.labelled())
                        .setAccuracy(f.accuracy())
                        .setAccuracyCi95Low(f.accuracyLow())
                        .setAccuracyCi95High(f.accuracyHigh())
                        .setRewarded(f.rewarded())
                        .setMeanReward(f.meanReward())
                        .setRewardCi95Low(f.rewardLow())
                        .setRewardCi95High(f.rewardHigh())
                        .build()));
    return out.build();
  }

  private static Judgement judgement(dev.infera.core.routing.rollout.Judgement judgement) {
    Judgement.Builder out =
        Judgement.newBuilder()
            .setVerdict(Verdict.valueOf(judgement.verdict().name()))
            .setAt(Timestamps.fromMillis(judgement.atMillis()));
    for (var check : judgement.checks()) {
      out.addChecks(
          Check.newBuilder()
              .setName(check.name())
              .setVerdict(Verdict.valueOf(check.verdict().name()))
              .setDetail(check.detail())
              .putAllFigures(check.figures()));
    }
    return out.build();
  }
}
