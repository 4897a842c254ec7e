package dev.infera.server.security;

import com.linecorp.armeria.server.ServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for the HTTP and gRPC ports ({@code --tls-cert}, {@code --tls-key}) and, with a client CA
 * ({@code --tls-client-ca}), mutual TLS: every client must present a certificate that CA signed.
 *
 * @param certificateChain PEM: the server certificate, then any intermediates
 * @param privateKey PEM: the server's private key, PKCS#8 ({@code BEGIN PRIVATE KEY}), unencrypted
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
    sb.https(address).tls(certificateChain.toFile(), privateKey.toFile());
    clientCa.ifPresent(
        ca -> {
          ClientCaTrust trust = ClientCaTrust.of(ca);
          sb.tlsCustomizer(ssl -> ssl.clientAuth(ClientAuth.REQUIRE).trustManager(trust));
        });
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
