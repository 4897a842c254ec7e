package dev.infera.server.security;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.spi.InferenceException;
import java.util.Optional;

/**
 * Checks every REST request's credentials against the role {@link AccessPolicy} gives its endpoint,
 * before the request body is read: a refused call costs no decoding. Refusals answer 401 or 403
 * with {@code {"error": "..."}}.
 */
final class HttpAuthDecorator implements DecoratingHttpServiceFunction {
  private final Authenticator authenticator;

  HttpAuthDecorator(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    String path = ctx.path();
    Optional<Role> required = AccessPolicy.forHttp(req.method(), path);
    if (WarmupPass.grants(ctx, required)) {
      return delegate.serve(ctx, req);
    }
    try {
      authenticator.check(
          required,
          req.headers().get(HttpHeaderNames.AUTHORIZATION),
          Authenticator.Protocol.HTTP,
          req.method() + " " + path,
          ctx.remoteAddress());
    } catch (InferenceException e) {
      return HttpErrors.of(e);
    }
    return delegate.serve(ctx, req);
  }
}
