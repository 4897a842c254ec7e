package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.infera.server.grpc.proto.ServerLiveRequest;
import dev.infera.server.security.SecurityOptions;
import dev.infera.server.security.TlsOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS on the HTTP and gRPC ports, with certificates made for the run: one server
 * with TLS only, one requiring client certificates signed by the client CA.
 */
class TlsIT {
  @TempDir static Path dir;

  private static TestCertificates.Issued serverCa;
  private static TestCertificates.Issued clientCa;
  private static TestCertificates.Issued client;
  private static TestCertificates.Issued stranger;
  private static InferaServer tls;
  private static InferaServer mutual;

  @BeforeAll
  static void start() throws IOException {
    serverCa = TestCertificates.authority("test server CA");
    clientCa = TestCertificates.authority("test client CA");
    client = TestCertificates.client(clientCa, "scoring-client");
    stranger = TestCertificates.client(TestCertificates.authority("other CA"), "stranger");
    TestCertificates.Issued server = TestCertificates.server(serverCa);
    Path cert = server.writeCertificate(dir.resolve("server.pem"));
    Path key = server.writeKey(dir.resolve("server.key"));
    Path clientCaFile = clientCa.writeCertificate(dir.resolve("client-ca.pem"));
    Path repository = Files.createDirectories(dir.resolve("models"));

    ServerOptions base = ServerOptions.onFreePorts(repository);
    tls =
        InferaServer.start(
            base.withSecurity(
                SecurityOptions.none().withTls(new TlsOptions(cert, key, Optional.empty()))));
    mutual =
        InferaServer.start(
            base.withSecurity(
                SecurityOptions.none()
                    .withTls(new TlsOptions(cert, key, Optional.of(clientCaFile)))));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    // Both at once: each waits for its endpoints to drain.
    Thread closeTls = new Thread(() -> close(tls), "tls-it-close");
    closeTls.start();
    close(mutual);
    closeTls.join();
  }

  private static void close(InferaServer server) {
    if (server != null) {
      server.close();
    }
  }

  private static int httpsGet(int port, SSLContext context) throws Exception {
    HttpClient http =
        HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(30)).build();
    return http.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v2/health/ready"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * Whether the server refuses a TLS client: the handshake or the first read after it fails, or the
   * server closes the connection, instead of answering. A raw socket with a read timeout, not an
   * HTTP client: under TLS 1.3 a refused client certificate is reported after the client's side of
   * the handshake has finished, which the JDK's HTTP client can wait on forever.
   */
  private static boolean refuses(int port, SSLContext context) throws IOException {
    return refusal(port, context) != null;
  }

  /** How the server refused: the client's TLS error, "closed", or null when it answered. */
  private static String refusal(int port, SSLContext context) throws IOException {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(20_000);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /v2/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return socket.getInputStream().read() == -1 ? "closed" : null;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server neither answered nor refused within 20 s", e);
    } catch (SSLException | SocketException refused) {
      return String.valueOf(refused.getMessage());
    }
  }

  private static boolean grpcLive(int port, ChannelCredentials credentials) {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
    try {
      return GRPCInferenceServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .serverLive(ServerLiveRequest.getDefaultInstance())
          .getLive();
    } finally {
      channel.shutdownNow();
    }
  }

  private static ChannelCredentials grpcCredentials(TestCertificates.Issued identity)
      throws IOException {
    TlsChannelCredentials.Builder builder =
        TlsChannelCredentials.newBuilder()
            .trustManager(serverCa.writeCertificate(dir.resolve("ca-for-grpc.pem")).toFile());
    if (identity != null) {
      Path cert = identity.writeCertificate(Files.createTempFile(dir, "client", ".pem"));
      Path key = identity.writeKey(Files.createTempFile(dir, "client", ".key"));
      builder.keyManager(cert.toFile(), key.toFile());
    }
    return builder.build();
  }

  @Test
  void httpsSucceedsWithTheServerCaTrusted() throws Exception {
    assertThat(httpsGet(tls.httpPort(), TestCertificates.sslContext(serverCa, null)))
        .isEqualTo(200);
  }

  @Test
  void httpsFailsWhenTheServerCertificateIsNotTrusted() throws IOException {
    SSLContext trustsAnotherCa = TestCertificates.sslContext(clientCa, null);

    assertThat(refuses(tls.httpPort(), trustsAnotherCa)).isTrue();
  }

  @Test
  void grpcWorksOverTls() throws IOException {
    assertThat(grpcLive(tls.grpcPort(), grpcCredentials(null))).isTrue();
  }

  @Test
  void mutualTlsAcceptsAClientCertificateFromTheClientCa() throws Exception {
    assertThat(httpsGet(mutual.httpPort(), TestCertificates.sslContext(serverCa, client)))
        .isEqualTo(200);
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificate() throws IOException {
    SSLContext noCertificate = TestCertificates.sslContext(serverCa, null);

    assertThat(refuses(mutual.httpPort(), noCertificate)).isTrue();
  }

  @Test
  void mutualTlsRefusesACertificateFromAnotherCa() throws IOException {
    SSLContext wrongCa = TestCertificates.sslContext(serverCa, stranger);
    SSLContext wrongCaSentAnyway = TestCertificates.sslContextPresentingAlways(serverCa, stranger);

    // the JDK's client sends no certificate to a server asking for another CA's: refused as such
    assertThat(refusal(mutual.httpPort(), wrongCa)).contains("certificate_required");
    // a client that sends it anyway is told the CA is unknown
    assertThat(refusal(mutual.httpPort(), wrongCaSentAnyway)).contains("unknown_ca");
  }

  @Test
  void mutualTlsOverGrpcNeedsTheClientCertificate() throws IOException {
    assertThat(grpcLive(mutual.grpcPort(), grpcCredentials(client))).isTrue();
    ChannelCredentials anonymous = grpcCredentials(null);
    assertThatThrownBy(() -> grpcLive(mutual.grpcPort(), anonymous))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void theMetricsPortStaysPlainHttp() {
    // Metrics.scrape asks http:// and fails unless the answer is 200 text.
    assertThat(Metrics.scrape(tls.metricsPort())).contains("infera_");
  }

  private static String startupRefusal(Path cert, Path key) throws IOException {
    Path repository = Files.createDirectories(dir.resolve("models-refused"));
    ServerOptions options =
        ServerOptions.onFreePorts(repository)
            .withSecurity(
                SecurityOptions.none().withTls(new TlsOptions(cert, key, Optional.empty())));
    Throwable refused =
        org.assertj.core.api.Assertions.catchThrowable(() -> InferaServer.start(options).close());
    assertThat(refused).isNotNull();
    return refused.getMessage();
  }

  @Test
  void filesThatAreNotACertificateAndAKeyAreNamedWithWhatWasExpected() throws IOException {
    TestCertificates.Issued server = TestCertificates.server(serverCa);
    Path cert = server.writeCertificate(dir.resolve("refused-server.pem"));
    Path key = server.writeKey(dir.resolve("refused-server.key"));

    assertThat(startupRefusal(key, key))
        .isEqualTo(
            "--tls-cert "
                + key
                + " holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----' blocks: the"
                + " server's certificate, then any intermediates)");
    assertThat(startupRefusal(cert, cert))
        .startsWith("--tls-key " + cert + " holds no private key the server can read");
  }

  @Test
  void aKeyThatIsNotTheCertificatesOwnIsNamedAsSuch() throws IOException {
    Path cert = TestCertificates.server(serverCa).writeCertificate(dir.resolve("mine.pem"));
    Path otherKey = TestCertificates.server(serverCa).writeKey(dir.resolve("other.key"));

    assertThat(startupRefusal(cert, otherKey))
        .startsWith(
            "--tls-cert "
                + cert
                + " and --tls-key "
                + otherKey
                + " do not work together (is the key the certificate's own?");
  }
}
