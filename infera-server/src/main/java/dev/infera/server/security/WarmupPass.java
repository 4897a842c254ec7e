package dev.infera.server.security;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.server.protocol.RequestParameters;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The mark of the server's own warm-up requests, which a client cannot forge: a random 256-bit
 * token made once per process, sent by the warm-up client in the {@value #HEADER} header and
 * honoured only
 *
 * <ul>
 *   <li>while the warm-up runs (the pass is {@link #close closed} before readiness turns true, and
 *       never honoured again),
 *   <li>on a connection from a loopback address, and
 *   <li>when the header carries exactly the token (compared in constant time).
 * </ul>
 *
 * <p>{@link #decorator} runs outermost on the REST and gRPC endpoints: it removes the header from
 * every request and puts back the value {@value #ADMITTED_VALUE} only on a request it admitted, so
 * that the protocol layer turns the header's presence into {@code RequestOptions.warmup} and
 * nothing behind the decorator sees the token. Any other request, with or without the header, is a
 * normal client's. An admitted request counts as authenticated with the {@link Role#INFER} role and
 * no other ({@link #grants}); see docs/security.md.
 *
 * <p>Thread-safe: the token is immutable, the open flag volatile.
 */
public final class WarmupPass {
  /** The header that carries the token, and after the decorator the admitted mark. */
  public static final String HEADER = RequestParameters.WARMUP_HEADER;

  /** The header's value on an admitted request, past the decorator. */
  public static final String ADMITTED_VALUE = RequestParameters.WARMUP_ADMITTED;

  private static final AttributeKey<Boolean> ADMITTED =
      AttributeKey.valueOf(WarmupPass.class, "admitted");

  private final byte[] token;
  private volatile boolean open = true;

  private WarmupPass(byte[] token) {
    this.token = token;
  }

  /** A pass with a fresh random token, open until {@link #close}. */
  public static WarmupPass create() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return new WarmupPass(HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII));
  }

  /** The token the warm-up client sends in {@value #HEADER}. Never log it. */
  public String token() {
    return new String(token, StandardCharsets.US_ASCII);
  }

  /** Stops honouring the token, for the rest of the process's life. */
  public void close() {
    open = false;
  }

  boolean admits(String value, SocketAddress remote) {
    return open
        && value != null
        && remote instanceof InetSocketAddress address
        && address.getAddress() != null
        && address.getAddress().isLoopbackAddress()
        && MessageDigest.isEqual(token, value.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Whether an admitted warm-up request may call an endpoint that needs {@code required}: only
   * inference ({@link Role#INFER}).
   */
  static boolean grants(RequestContext ctx, Optional<Role> required) {
    return isWarmup(ctx) && required.equals(Optional.of(Role.INFER));
  }

  /** Whether the request of {@code ctx} is one of the server's warm-up requests. */
  public static boolean isWarmup(RequestContext ctx) {
    return ctx != null && Boolean.TRUE.equals(ctx.attr(ADMITTED));
  }

  /** The decorator that checks the header and normalises it; see the class comment. */
  DecoratingHttpServiceFunction decorator() {
    return this::serve;
  }

  private HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    String value = req.headers().get(HEADER);
    if (value == null) {
      return delegate.serve(ctx, req);
    }
    RequestHeaders headers;
    if (admits(value, ctx.remoteAddress())) {
      ctx.setAttr(ADMITTED, Boolean.TRUE);
      headers = req.headers().toBuilder().set(HEADER, ADMITTED_VALUE).build();
    } else {
      headers = req.headers().toBuilder().removeAndThen(HEADER).build();
    }
    HttpRequest normalised = req.withHeaders(headers);
    ctx.updateRequest(normalised); // what the gRPC service reads its metadata from
    return delegate.serve(ctx, normalised);
  }
}
