package dev.infera.server.security;

import com.linecorp.armeria.server.ServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for the HTTP and gRPC ports ({@code --tls-cert}, {@code --tls-key}) and, with a client CA
 * ({@code --tls-client-ca}), mutual TLS: every client must present a certificate that CA signed.
 *
 * @param certificateChain PEM: the server certificate, then any intermediates
 * @param privateKey PEM: the server's private key, unencrypted: PKCS#8 ({@code BEGIN PRIVATE KEY})
 *     or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY})
 * @param clientCa PEM: the CA certificates client certificates must chain to; empty: no client
 *     certificates asked for
 */
public record TlsOptions(Path certificateChain, Path privateKey, Optional<Path> clientCa) {
  public TlsOptions {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
    List<String> problems = new ArrayList<>();
    readable("--tls-cert", certificateChain, problems);
    readable("--tls-key", privateKey, problems);
    clientCa.ifPresent(ca -> readable("--tls-client-ca", ca, problems));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  public boolean mutual() {
    return clientCa.isPresent();
  }

  /**
   * Makes {@code sb} listen with TLS only on {@code address}, and ask for (and require) client
   * certificates when {@link #mutual()}.
   */
  public void listen(ServerBuilder sb, InetSocketAddress address) {
    try {
      sb.https(address).tls(certificateChain.toFile(), privateKey.toFile());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(unusable(e.getCause() == null ? e : e.getCause()), e);
    }
    clientCa.ifPresent(
        ca -> {
          ClientCaTrust trust = ClientCaTrust.of(ca);
          sb.tlsCustomizer(ssl -> ssl.clientAuth(ClientAuth.REQUIRE).trustManager(trust));
        });
  }

  /** What is wrong with the files, in the flags' terms, from the TLS library's exception. */
  private String unusable(Throwable cause) {
    if (cause instanceof CertificateException) {
      return "--tls-cert "
          + certificateChain
          + " holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----' blocks: the"
          + " server's certificate, then any intermediates)";
    }
    if (cause instanceof KeyException) {
      return "--tls-key "
          + privateKey
          + " holds no private key the server can read (expected an unencrypted PKCS#8 key,"
          + " '-----BEGIN PRIVATE KEY-----', or a PKCS#1 RSA key; convert another key with:"
          + " openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)";
    }
    String message = String.valueOf(cause.getMessage());
    int newline = message.indexOf('\n');
    return "--tls-cert "
        + certificateChain
        + " and --tls-key "
        + privateKey
        + " cannot be used: "
        + (newline < 0 ? message : message.substring(0, newline));
  }

  /**
   * Why a server with these files failed its own TLS check, in the flags' terms (the TLS library
   * finds a key that does not belong to the certificate only when it tries a handshake).
   */
  public String mismatch(Throwable cause) {
    return "--tls-cert "
        + certificateChain
        + " and --tls-key "
        + privateKey
        + " do not work together (is the key the certificate's own? the TLS check said: "
        + cause.getMessage()
        + ")";
  }

  private static void readable(String flag, Path file, List<String> problems) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      problems.add(flag + " " + file + " is not a readable file");
    }
  }

  @Override
  public String toString() {
    return "TlsOptions[cert="
        + certificateChain
        + ", key="
        + privateKey
        + ", clientCa="
        + clientCa.map(Path::toString).orElse("none")
        + "]";
  }
}
