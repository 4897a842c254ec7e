package dev.infera.server.tracing;

import dev.infera.core.InferenceService;
import dev.infera.core.tracing.InferenceSpans;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The one owner of tracing: the OpenTelemetry SDK with its batch span processor and OTLP/HTTP
 * exporter, the global trace settings and each model's own, and the choice of which requests are
 * traced. Exporting happens on the SDK's own thread behind a bounded queue: a slow or unreachable
 * receiver drops spans (the SDK logs it), never delays a request.
 *
 * <p>Sampling follows Triton's {@code trace_rate}: of a model's requests the first and then every
 * rate-th is traced, whatever the caller's {@code traceparent} says (its trace id and span become
 * the request span's trace and parent). While tracing is off everywhere, {@link #start} reads one
 * volatile field and returns {@link RequestTrace#NONE}.
 *
 * <p>Thread-safe: reads are lock-free; changes hold this object's lock.
 */
public final class TraceControl implements AutoCloseable {
  private static final TextMapGetter<Function<String, String>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
          return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
          return carrier == null ? null : carrier.apply(key);
        }
      };

  /**
   * The SDK's java.util.logging logger, sent to SLF4J so that export failures (an unreachable
   * receiver) appear in Infera's log; held here because JUL keeps its loggers weakly.
   */
  private static final java.util.logging.Logger SDK_LOG = sdkLog();

  private final TraceConfig config;
  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final Map<String, Map<String, List<String>>> modelOverrides = new HashMap<>();
  private final Map<String, Sampling> models = new ConcurrentHashMap<>();
  private volatile Sampling global;
  private volatile boolean anyOn;

  /** Which requests of one settings scope are traced; the counters advance per request. */
  private static final class Sampling {
    final TraceSettings settings;
    final AtomicLong seen = new AtomicLong();
    final AtomicLong remaining;

    Sampling(TraceSettings settings) {
      this.settings = settings;
      this.remaining = new AtomicLong(settings.count());
    }

    boolean take() {
      if (settings.level() == TraceLevel.OFF || seen.getAndIncrement() % settings.rate() != 0) {
        return false;
      }
      if (settings.count() < 0) {
        return true;
      }
      return remaining.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
    }

    TraceSettings current() {
      return settings.count() < 0 ? settings : settings.withCount(remaining.get());
    }
  }

  public TraceControl(TraceConfig config) {
    this.config = config;
    this.provider = provider(config);
    this.tracer = provider.get(InferenceSpans.SCOPE);
    this.global = new Sampling(config.settings());
    this.anyOn = config.tracesAtStart();
  }

  private static java.util.logging.Logger sdkLog() {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.opentelemetry");
    logger.addHandler(new SLF4JBridgeHandler());
    logger.setUseParentHandlers(false);
    return logger;
  }

  private static SdkTracerProvider provider(TraceConfig config) {
    AttributesBuilder resource = Attributes.builder().put("service.name", "infera");
    config.resource().forEach(resource::put);
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(config.endpoint().toString())
            .setTimeout(Duration.ofSeconds(10))
            .build();
    return SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(resource.build())))
        .setSampler(Sampler.alwaysOn()) // the choice is made in start(); spans built are kept
        .addSpanProcessor(
            BatchSpanProcessor.builder(exporter)
                .setMaxQueueSize(config.maxQueueSize())
                .setScheduleDelay(config.scheduleDelay())
                .setMaxExportBatchSize(config.maxExportBatchSize())
                .build())
        .build();
  }

  /** The tracer the engine's execution spans are built with. */
  public Tracer tracer() {
    return tracer;
  }

  /**
   * Starts the request span of a request that arrived for {@code model}, when its settings say to
   * trace it; otherwise {@link RequestTrace#NONE}.
   *
   * @param protocol {@code http} or {@code grpc}
   * @param headers the request's headers (HTTP) or metadata (gRPC) by lower-case name, for the
   *     caller's W3C {@code traceparent} and {@code tracestate}
   */
  public RequestTrace start(String model, String protocol, Function<String, String> headers) {
    if (!anyOn) {
      return RequestTrace.NONE;
    }
    Sampling sampling = models.isEmpty() ? global : models.getOrDefault(model, global);
    if (!sampling.take()) {
      return RequestTrace.NONE;
    }
    Context parent =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, HEADERS);
    Span span =
        tracer
            .spanBuilder(InferenceSpans.REQUEST)
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(InferenceSpans.MODEL, model)
            .setAttribute(InferenceSpans.PROTOCOL, protocol)
            .startSpan();
    return new RequestTrace(tracer, span);
  }

  /**
   * The settings in force, as Triton's trace extension answers them: the global ones, or those of
   * {@code model} (its own where it has them, the global ones otherwise).
   */
  public Map<String, List<String>> settings(Optional<String> model) {
    Sampling sampling = model.map(name -> models.getOrDefault(name, global)).orElse(global);
    return sampling.current().asMap();
  }

  /**
   * Changes the global settings or those of one model, all or none, and answers the settings in
   * force afterwards. An empty list clears a setting: a model's then follows the global one again,
   * a global one goes back to its start-up value. The counters of the changed scope start over.
   *
   * @throws dev.infera.spi.InferenceException INVALID_ARGUMENT naming a bad setting or value
   */
  public synchronized Map<String, List<String>> update(
      Optional<String> model, Map<String, List<String>> changes) {
    if (model.isEmpty()) {
      TraceSettings next = global.current();
      for (Map.Entry<String, List<String>> change : changes.entrySet()) {
        next =
            change.getValue().isEmpty()
                ? next.with(change.getKey(), startValue(change.getKey()))
                : next.with(change.getKey(), change.getValue());
      }
      global = new Sampling(next);
      for (String name : modelOverrides.keySet()) {
        models.put(name, new Sampling(apply(next, modelOverrides.get(name))));
      }
    } else {
      Map<String, List<String>> overrides =
          new LinkedHashMap<>(modelOverrides.getOrDefault(model.get(), Map.of()));
      for (Map.Entry<String, List<String>> change : changes.entrySet()) {
        if (change.getValue().isEmpty()) {
          global.current().with(change.getKey(), startValue(change.getKey())); // checks the name
          overrides.remove(change.getKey());
        } else {
          overrides.put(change.getKey(), List.copyOf(change.getValue()));
        }
      }
      TraceSettings effective = apply(global.current(), overrides);
      if (overrides.isEmpty()) {
        modelOverrides.remove(model.get());
        models.remove(model.get());
      } else {
        modelOverrides.put(model.get(), overrides);
        models.put(model.get(), new Sampling(effective));
      }
    }
    anyOn =
        global.settings.level() != TraceLevel.OFF
            || models.values().stream().anyMatch(s -> s.settings.level() != TraceLevel.OFF);
    return settings(model);
  }

  private static TraceSettings apply(TraceSettings base, Map<String, List<String>> overrides) {
    TraceSettings result = base;
    for (Map.Entry<String, List<String>> override : overrides.entrySet()) {
      result = result.with(override.getKey(), override.getValue());
    }
    return result;
  }

  private List<String> startValue(String name) {
    List<String> value = config.settings().asMap().get(name);
    return value == null ? List.of("?") : value;
  }

  /**
   * Returns {@code model} when the server knows it (ready, loading or unavailable), for the trace
   * setting APIs.
   *
   * @throws InferenceException NOT_FOUND for a model the server does not know
   */
  public static String knownModel(InferenceService service, String model) {
    try {
      service.modelConfig(model, Optional.empty());
    } catch (InferenceException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        throw e;
      } // a model that is loading or unavailable may be given its settings already
    }
    return model;
  }

  /** Exports what is queued (up to {@code timeout}) and stops the exporter. */
  public void close(Duration timeout) {
    provider.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /** The start-up configuration. */
  public TraceConfig config() {
    return config;
  }
}
