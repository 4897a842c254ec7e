package dev.infera.server.security;

import com.linecorp.armeria.common.FilteredHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server-wide cap on the bytes that unfinished request bodies hold ({@code
 * --max-buffered-request-bytes}), shared by the REST and gRPC ports. Each body's bytes count from
 * their arrival until the body is complete or abandoned; what a finished request holds while it
 * runs is bounded by the request size limit and the scheduler queues instead.
 *
 * <p>A request whose declared {@code Content-Length} does not fit in what is left is refused at
 * once with 503 and {@code Retry-After}; a body that grows past the cap while streaming fails with
 * UNAVAILABLE (REST 503, gRPC UNAVAILABLE) and its bytes are released. So stalled uploads cannot
 * hold more than the cap, however many there are; the request timeout then ends them.
 *
 * <p>The last part of the cap (an eighth, at most 4 MiB) is kept for small bodies (up to 64 KiB): a
 * large body, declared or grown past that size, may fill the cap only up to the reserve. So while
 * stalled large uploads hold all they may, ordinary inference requests still get through.
 *
 * <p>Thread-safe: one atomic counter; each request's own count is touched by its event loop only.
 */
public final class RequestBodyBudget implements DecoratingHttpServiceFunction {
  /** Gauge: bytes held by unfinished request bodies now. */
  public static final String BUFFERED_METRIC = "infera.request.buffered.bytes";

  /** Counter: requests refused because the buffered-bytes cap was reached. */
  public static final String REFUSED_METRIC = "infera.request.buffer.refused";

  private static final String RETRY_AFTER_SECONDS = "1";

  /** The largest body that may use the reserve. */
  static final long SMALL_BODY = 64 << 10;

  private static final long MAX_RESERVE = 4 << 20;

  private final long cap;
  private final long largeCap;
  private final AtomicLong buffered = new AtomicLong();
  private final Counter refused;

  public RequestBodyBudget(long cap, MeterRegistry registry) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap " + cap + " (expected > 0)");
    }
    this.cap = cap;
    this.largeCap = cap - Math.min(cap / 8, MAX_RESERVE);
    Gauge.builder(BUFFERED_METRIC, buffered, AtomicLong::get)
        .description("Bytes held by unfinished request bodies")
        .baseUnit("bytes")
        .register(registry);
    this.refused =
        Counter.builder(REFUSED_METRIC)
            .description("Requests refused because unfinished bodies held the buffered-bytes cap")
            .register(registry);
  }

  /** The bytes unfinished bodies hold now. */
  public long buffered() {
    return buffered.get();
  }

  public long cap() {
    return cap;
  }

  /** What the bodies may hold together when one of them is {@code bodyBytes} long. */
  private long capFor(long bodyBytes) {
    return bodyBytes <= SMALL_BODY ? cap : largeCap;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    long declared = req.headers().contentLength();
    if (declared > 0 && buffered.get() + declared > capFor(declared)) {
      refused.increment();
      return HttpErrors.of(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE, message(declared))
          .mapHeaders(h -> h.toBuilder().set("retry-after", RETRY_AFTER_SECONDS).build());
    }
    Counted counted = new Counted(req);
    counted.whenComplete().whenComplete((ignored, failure) -> counted.release());
    return delegate.serve(ctx, counted);
  }

  private String message(long more) {
    return "the server is busy receiving other requests: their unfinished bodies hold "
        + buffered.get()
        + " bytes, and "
        + more
        + " more would pass the limit of "
        + capFor(more)
        + " bytes for a body of that size (--max-buffered-request-bytes); retry later";
  }

  /** One request's body, counted into the budget as it arrives. */
  private final class Counted extends FilteredHttpRequest {
    private final AtomicLong held = new AtomicLong();

    Counted(HttpRequest delegate) {
      super(delegate);
    }

    @Override
    protected HttpObject filter(HttpObject object) {
      if (object instanceof HttpData data && !data.isEmpty()) {
        int length = data.length();
        long body = held.addAndGet(length);
        if (buffered.addAndGet(length) > capFor(body)) {
          refused.increment();
          release();
          data.close();
          throw new InferenceException(ErrorCode.UNAVAILABLE, message(length));
        }
      }
      return object;
    }

    /** Gives this body's bytes back; idempotent. */
    void release() {
      long bytes = held.getAndSet(0);
      if (bytes > 0) {
        buffered.addAndGet(-bytes);
      }
    }
  }
}
