package dev.infera.server.it;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.security.ApiKeyStore;
import dev.infera.server.security.SecurityOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * One real server with authentication on and small limits (1 MiB requests, 4096 elements per
 * tensor), serving the example {@code simple} model; shared by the security suites of this test JVM
 * and closed when it exits. Also a small REST client that can send any header.
 */
final class SecuredServer {
  static final String INFER_KEY = "infer-key-7f3a9c";
  static final String READ_KEY = "read-key-2b8e41";
  static final String ADMIN_KEY = "admin-key-c05d77";
  static final String ALL_KEY = "all-roles-key-91aa0e";
  static final long MAX_REQUEST_BYTES = 1024 * 1024;
  static final long MAX_TENSOR_ELEMENTS = 4096;

  /** A valid request for {@code simple}: two INT32 [1,16] inputs. */
  static final String SIMPLE_REQUEST =
      "{\"inputs\":["
          + "{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
          + "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]},"
          + "{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
          + "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}";

  private static InferaServer server;

  private SecuredServer() {}

  static synchronized InferaServer get() {
    if (server == null) {
      server = InferaServer.start(options());
      InferaServer started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "secured-server-close"));
    }
    return server;
  }

  private static ServerOptions options() {
    try {
      Path root = Files.createTempDirectory("infera-secured");
      Path repository = Files.createDirectories(root.resolve("models"));
      TestRepository.copyInto(
          TestRepository.examples().resolve("simple"), repository.resolve("simple"));
      Path auth =
          Files.writeString(
              root.resolve("auth.yaml"),
              "keys:\n"
                  + entry("scoring", INFER_KEY, "[infer]")
                  + entry("dashboard", READ_KEY, "[read]")
                  + entry("operator", ADMIN_KEY, "[admin]")
                  + entry("everything", ALL_KEY, "[infer, read, admin]"));
      return ServerOptions.onFreePorts(repository)
          .withMaxRequestBytes(MAX_REQUEST_BYTES)
          .withSecurity(
              SecurityOptions.none()
                  .withAuthConfig(auth)
                  .withMaxTensorElements(MAX_TENSOR_ELEMENTS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String entry(String name, String key, String roles) {
    return "  - name: "
        + name
        + "\n    sha256: "
        + HexFormat.of().formatHex(ApiKeyStore.sha256(key))
        + "\n    roles: "
        + roles
        + "\n";
  }

  /** A status and a body, as the REST tests read them. */
  record Reply(int statusCode, String body, ResponseHeaders headers) {}

  static Reply get(String path, Map<String, String> headers) {
    return send(RequestHeaders.builder(HttpMethod.GET, path), HttpData.empty(), headers);
  }

  static Reply post(String path, byte[] body, Map<String, String> headers) {
    return send(RequestHeaders.builder(HttpMethod.POST, path), HttpData.wrap(body), headers);
  }

  static Reply post(String path, String body, Map<String, String> headers) {
    return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  static Map<String, String> bearer(String key) {
    return Map.of("Authorization", "Bearer " + key);
  }

  /**
   * Sends with Armeria's client, which reads an early answer (such as a 413 before the whole body
   * was sent) where the JDK's client reports a reset stream.
   */
  private static Reply send(
      RequestHeadersBuilder request, HttpData body, Map<String, String> headers) {
    headers.forEach(request::add);
    AggregatedHttpResponse response =
        WebClient.of("http://127.0.0.1:" + get().httpPort())
            .execute(request.build(), body)
            .aggregate()
            .join();
    return new Reply(response.status().code(), response.contentUtf8(), response.headers());
  }
}
