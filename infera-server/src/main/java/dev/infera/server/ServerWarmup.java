package dev.infera.server;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.SessionProtocol;
import dev.infera.core.engine.ServingEngine;
import dev.infera.core.lifecycle.ModelManager;
import dev.infera.core.lifecycle.ModelState;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceStub;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.security.WarmupPass;
import io.grpc.stub.StreamObserver;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server warm-up before readiness: a few client threads send each model's synthetic requests
 * ({@link WarmupRequests}) to the server's own REST and gRPC ports over loopback connections, so
 * that the JIT compiles the whole path (Netty, Armeria, Jackson, gRPC framing, the protocol layer,
 * the scheduler, the backend), until the process CPU time per request settles ({@link JitSettling})
 * or the cap passes. Each request carries the process's {@link WarmupPass}, so it counts in no user
 * metric and passes authentication for inference only.
 *
 * <p>Runs once, on the thread that calls {@link #run}, which blocks for at most the cap plus one
 * request timeout; its client threads are named {@code infera-warmup-N} and stopped before it
 * returns.
 */
final class ServerWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(ServerWarmup.class);

  /** How long a warm-up request may take. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Requests each client thread keeps in flight. */
  static final int IN_FLIGHT = 8;

  private static final String BINARY_HEADER_LENGTH = "inference-header-content-length";

  /** The wire forms warmed, as the {@code protocol} label of {@code infera_warmup_requests}. */
  enum Protocol {
    REST_JSON("rest_json"),
    REST_BINARY("rest_binary"),
    GRPC("grpc");

    final String label;

    Protocol(String label) {
      this.label = label;
    }
  }

  /** Why a warm-up ended. */
  enum Ending {
    /** The stopping criterion: the JIT settled ({@link JitSettling}). */
    SETTLED,
    /** {@code --warmup-secs} passed first. */
    CAP,
    /** Every call (a model over one protocol) failed, so nothing was left to send. */
    EVERY_CALL_FAILED,
    /** No model to warm, or no endpoint reachable over loopback. */
    NOTHING_TO_SEND
  }

  /**
   * What a warm-up did.
   *
   * @param took how long it ran
   * @param requests the requests answered, per protocol
   * @param models the requests answered, per model
   * @param ending why it stopped
   * @param failedCalls the calls (a model over one protocol) that failed and were not sent again
   * @param cpuNanosPerRequest the last window's process CPU time per request; NaN if none
   * @param lastChange the last window's change of that reading from the window before; NaN if none
   * @param jitBusy the JIT compilers' time in the last window over the window's length (1.0: one
   *     compiler thread busy all along); NaN where the JVM does not tell
   */
  record Result(
      Duration took,
      Map<Protocol, Long> requests,
      Map<String, Long> models,
      Ending ending,
      int failedCalls,
      double cpuNanosPerRequest,
      double lastChange,
      double jitBusy) {
    long total() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether the criterion stopped it. */
    boolean settled() {
      return ending == Ending.SETTLED;
    }
  }

  /** Where the warm-up connects: a loopback URI per endpoint, empty when it cannot be reached. */
  record Targets(Optional<String> http, Optional<String> grpc, boolean tls) {}

  private final WarmupSettings settings;
  private final Targets targets;
  private final String token;
  private final LongSupplier cpuNanos;
  private final LongSupplier nanoTime;

  ServerWarmup(WarmupSettings settings, Targets targets, String token) {
    this(settings, targets, token, ServerWarmup::processCpuNanos, System::nanoTime);
  }

  ServerWarmup(
      WarmupSettings settings,
      Targets targets,
      String token,
      LongSupplier cpuNanos,
      LongSupplier nanoTime) {
    this.settings = settings;
    this.targets = targets;
    this.token = token;
    this.cpuNanos = cpuNanos;
    this.nanoTime = nanoTime;
  }

  /**
   * Drives the server's own REST and gRPC inference with each ready model's synthetic requests
   * until the JIT settled or the cap passed ({@code --warmup}, {@code --warmup-secs}); logs and
   * returns what it took (empty when it is off). A model whose signature cannot be synthesised is
   * skipped with a log line.
   */
  static Optional<Result> beforeReadiness(
      ServerOptions options,
      ModelManager manager,
      ServingEngine engine,
      Endpoints endpoints,
      String token) {
    if (!options.warmup().enabled()) {
      LOG.info("warm-up off (--warmup=false)");
      return Optional.empty();
    }
    List<WarmupRequests> models = new java.util.ArrayList<>();
    for (String model :
        manager.index().stream()
            .filter(status -> status.state() == ModelState.READY)
            .map(status -> status.model())
            .distinct()
            .sorted()
            .toList()) {
      WarmupRequests.Synthesis synthesis;
      try {
        synthesis = WarmupRequests.of(engine.modelMetadata(model, Optional.empty()));
      } catch (RuntimeException e) {
        LOG.info("warm-up: model '{}' skipped: {}", model, e.getMessage());
        continue;
      }
      synthesis
          .requests()
          .ifPresentOrElse(
              models::add,
              () -> LOG.info("warm-up: model '{}' skipped: {}", model, synthesis.skipped()));
    }
    Result result =
        new ServerWarmup(
                options.warmup(),
                new ServerWarmup.Targets(
                    loopbackUri(options, endpoints, Endpoints.Kind.HTTP, options.http()),
                    loopbackUri(options, endpoints, Endpoints.Kind.GRPC, options.grpc()),
                    options.security().tls().isPresent()),
                token)
            .run(models);
    LOG.info(
        "warm-up took {} ms: {} requests ({}; by model {}) on {} model(s){}; {} (last window: {} µs"
            + " of process CPU per request, {} from the window before; JIT compilers busy {})",
        result.took().toMillis(),
        result.total(),
        result.requests(),
        new java.util.TreeMap<>(result.models()),
        models.size(),
        result.failedCalls() == 0 ? "" : ", " + result.failedCalls() + " call(s) failed",
        switch (result.ending()) {
          case SETTLED -> "the JIT settled";
          case CAP -> "stopped by the cap of " + options.warmup().cap();
          case EVERY_CALL_FAILED -> "stopped: every call failed";
          case NOTHING_TO_SEND -> "nothing to send";
        },
        String.format(java.util.Locale.ROOT, "%.1f", result.cpuNanosPerRequest() / 1000),
        Double.isNaN(result.lastChange())
            ? "n/a"
            : String.format(java.util.Locale.ROOT, "%+.1f %%", result.lastChange() * 100),
        Double.isNaN(result.jitBusy())
            ? "n/a"
            : String.format(java.util.Locale.ROOT, "%.0f %%", result.jitBusy() * 100));
    return Optional.of(result);
  }

  /**
   * Where the warm-up reaches an endpoint over loopback: its own address when that is a loopback
   * one, 127.0.0.1 when it listens on every address, and nowhere otherwise (the warm-up pass is
   * honoured only from loopback).
   */
  private static Optional<String> loopbackUri(
      ServerOptions options, Endpoints endpoints, Endpoints.Kind kind, Endpoint endpoint) {
    if (!endpoint.enabled()) {
      return Optional.empty();
    }
    String host;
    try {
      java.net.InetAddress address = java.net.InetAddress.getByName(endpoint.address());
      if (address.isAnyLocalAddress()) {
        host = "127.0.0.1";
      } else if (address.isLoopbackAddress()) {
        host = address.getHostAddress();
      } else {
        LOG.info(
            "warm-up: the {} endpoint listens on {} only, not reachable over loopback; not warmed",
            kind,
            endpoint.address());
        return Optional.empty();
      }
    } catch (java.net.UnknownHostException e) {
      return Optional.empty();
    }
    String scheme = options.security().tls().isPresent() ? "https" : "http";
    String literal = host.contains(":") ? "[" + host + "]" : host;
    return Optional.of(scheme + "://" + literal + ":" + endpoints.port(kind));
  }

  /** The process's CPU time in nanoseconds (all threads); wall time where the JVM cannot tell. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      long cpu = os.getProcessCpuTime();
      if (cpu >= 0) {
        return cpu;
      }
    }
    return System.nanoTime();
  }

  /** Warms the server with {@code models}' requests; never throws for a failing request. */
  Result run(List<WarmupRequests> models) {
    long start = nanoTime.getAsLong();
    List<WarmupDriver.Call> calls = new ArrayList<>();
    for (WarmupRequests model : models) {
      targets.http().ifPresent(h -> calls.add(new WarmupDriver.Call(model, Protocol.REST_JSON)));
      targets.http().ifPresent(h -> calls.add(new WarmupDriver.Call(model, Protocol.REST_BINARY)));
      targets.grpc().ifPresent(g -> calls.add(new WarmupDriver.Call(model, Protocol.GRPC)));
    }
    WarmupDriver.Tally answered = new WarmupDriver.Tally();
    if (calls.isEmpty()) {
      return result(
          start,
          answered,
          Ending.NOTHING_TO_SEND,
          Set.of(),
          new JitSettling(settings.minWindows(), settings.minRequests()),
          Double.NaN);
    }
    ClientFactory factory =
        ClientFactory.builder()
            .tlsNoVerify() // its own ports over loopback, with the server's own certificate
            .build();
    Set<WarmupDriver.Call> failed = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService clients =
        Executors.newFixedThreadPool(
            settings.clients(),
            r -> {
              Thread t = new Thread(r, "infera-warmup-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    JitSettling settling = new JitSettling(settings.minWindows(), settings.minRequests());
    double jitBusy = Double.NaN;
    try {
      Sender sender = new Sender(factory);
      for (int i = 0; i < settings.clients(); i++) {
        int offset = i;
        WarmupSlots slots = new WarmupSlots(IN_FLIGHT, models.size());
        clients.execute(
            () -> WarmupDriver.drive(sender::send, calls, offset, slots, answered, failed, stop));
      }
      long deadline = start + settings.cap().toNanos();
      long lastCpu = cpuNanos.getAsLong();
      long lastCount = 0;
      long lastJit = jitMillis();
      long lastWindow = nanoTime.getAsLong();
      while (nanoTime.getAsLong() < deadline && failed.size() < calls.size()) {
        long pause = Math.min(settings.window().toNanos(), deadline - nanoTime.getAsLong());
        TimeUnit.NANOSECONDS.sleep(Math.max(pause, 0));
        long cpu = cpuNanos.getAsLong();
        long count = answered.total();
        long jit = jitMillis();
        long now = nanoTime.getAsLong();
        jitBusy = jit < 0 ? Double.NaN : (jit - lastJit) * 1e6 / Math.max(1, now - lastWindow);
        lastJit = jit;
        lastWindow = now;
        if (settling.add(cpu - lastCpu, count - lastCount, jitBusy)) {
          break;
        }
        lastCpu = cpu;
        lastCount = count;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stop.set(true);
      clients.shutdown();
      try {
        clients.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      factory.close();
    }
    Ending ending =
        settling.settled()
            ? Ending.SETTLED
            : failed.size() >= calls.size() ? Ending.EVERY_CALL_FAILED : Ending.CAP;
    return result(start, answered, ending, failed, settling, jitBusy);
  }

  /** The JIT compilers' accumulated time in milliseconds; -1 where the JVM does not tell. */
  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : -1;
  }

  private Result result(
      long start,
      WarmupDriver.Tally answered,
      Ending ending,
      Set<WarmupDriver.Call> failed,
      JitSettling settling,
      double jitBusy) {
    return new Result(
        Duration.ofNanos(nanoTime.getAsLong() - start),
        answered.byProtocol(),
        answered.byModel(),
        ending,
        failed.size(),
        settling.lastNanosPerRequest(),
        settling.lastChange(),
        jitBusy);
  }

  /**
   * Sends calls: REST over HTTP/1.1, as wrk, curl and most REST clients (Triton's among them) send
   * it (Armeria's client would otherwise speak HTTP/2 to the cleartext port, and the HTTP/1.1
   * request path would meet its first requests after readiness); gRPC over HTTP/2. Thread-safe: the
   * clients are.
   */
  private final class Sender {
    private final Optional<WebClient> http;
    private final Optional<GRPCInferenceServiceStub> grpc;

    Sender(ClientFactory factory) {
      this.http = targets.http().map(uri -> restClient(factory, uri));
      this.grpc =
          targets
              .grpc()
              .map(
                  uri ->
                      GrpcClients.builder(uri)
                          .factory(factory)
                          .responseTimeout(REQUEST_TIMEOUT)
                          .maxResponseLength(0)
                          .addHeader(WarmupPass.HEADER, token)
                          .build(GRPCInferenceServiceStub.class));
    }

    private WebClient restClient(ClientFactory factory, String uri) {
      SessionProtocol protocol = targets.tls() ? SessionProtocol.H1 : SessionProtocol.H1C;
      return WebClient.builder(protocol.uriText() + uri.substring(uri.indexOf(':')))
          .factory(factory)
          .responseTimeout(REQUEST_TIMEOUT)
          .addHeader(WarmupPass.HEADER, token)
          .build();
    }

    /** Sends one call; the future completes with its answer, exceptionally unless a success. */
    CompletableFuture<?> send(WarmupDriver.Call call) {
      WarmupRequests r = call.requests();
      return switch (call.protocol()) {
        case REST_JSON -> post(http.orElseThrow(), r.model(), MediaType.JSON, r.json(), -1);
        case REST_BINARY ->
            post(
                http.orElseThrow(),
                r.model(),
                MediaType.OCTET_STREAM,
                r.binary(),
                r.binaryHeaderLength());
        case GRPC -> {
          CompletableFuture<ModelInferResponse> done = new CompletableFuture<>();
          grpc.orElseThrow()
              .modelInfer(
                  r.grpc(),
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ModelInferResponse response) {
                      done.complete(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                      done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                      done.complete(null);
                    }
                  });
          yield done;
        }
      };
    }

    private static CompletableFuture<AggregatedHttpResponse> post(
        WebClient client, String model, MediaType type, byte[] body, int headerLength) {
      RequestHeadersBuilder headers =
          RequestHeaders.builder(HttpMethod.POST, "/v2/models/" + model + "/infer")
              .contentType(type);
      if (headerLength >= 0) {
        headers.set(BINARY_HEADER_LENGTH, Integer.toString(headerLength));
      }
      return client.execute(headers.build(), body).aggregate().thenApply(Sender::expectOk);
    }

    private static AggregatedHttpResponse expectOk(AggregatedHttpResponse response) {
      if (response.status() != HttpStatus.OK) {
        throw new IllegalStateException(
            "HTTP " + response.status().code() + ": " + response.contentUtf8());
      }
      return response;
    }
  }
}
