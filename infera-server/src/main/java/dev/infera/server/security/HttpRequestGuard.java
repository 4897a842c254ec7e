package dev.infera.server.security;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.Locale;
import java.util.Set;

/**
 * Checks what a REST request carries before its body is read: the {@code {model}} and {@code
 * {version}} path parameters ({@link ClientNames}; 400) and the {@code Content-Encoding} (gzip,
 * deflate or identity; anything else is 415, as the body could not be read).
 */
final class HttpRequestGuard implements DecoratingHttpServiceFunction {
  static final Set<String> ENCODINGS = Set.of("gzip", "deflate", "identity");
  private static final String MODEL = "model";
  private static final String VERSION = "version";

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    if (encoding != null && !ENCODINGS.contains(encoding.strip().toLowerCase(Locale.ROOT))) {
      return HttpErrors.of(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          ErrorCode.INVALID_ARGUMENT,
          "Content-Encoding '"
              + ClientNames.shown(encoding)
              + "' is not supported (expected gzip, deflate or identity)");
    }
    try {
      String model = ctx.pathParam(MODEL);
      if (model != null) {
        ClientNames.checkModel(model);
      }
      String version = ctx.pathParam(VERSION);
      if (version != null) {
        ClientNames.checkVersion(version);
      }
    } catch (InferenceException e) {
      return HttpErrors.of(e);
    }
    return delegate.serve(ctx, req);
  }
}
