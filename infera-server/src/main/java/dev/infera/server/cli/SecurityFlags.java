package dev.infera.server.cli;

import dev.infera.server.security.SecurityOptions;
import dev.infera.server.security.TlsOptions;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The flags of {@code infera serve} for authentication, TLS and the tensor-size limit. */
final class SecurityFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--auth-config",
      paramLabel = "FILE",
      description =
          "API keys (SHA-256 hashes) and their roles, YAML or JSON; enables authentication on the HTTP and gRPC ports (health endpoints stay open). Default: off.")
  Path authConfig;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description =
          "Server certificate chain (PEM): serve HTTPS and gRPC over TLS. Needs --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      description =
          "Server private key (PEM, unencrypted: PKCS#8, or PKCS#1 for RSA). Needs --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "PEM",
      description =
          "CA certificates (PEM) for mutual TLS: clients must present a certificate they signed.")
  Path tlsClientCa;

  @Option(
      names = "--max-tensor-elements",
      defaultValue = "" + SecurityOptions.DEFAULT_MAX_TENSOR_ELEMENTS,
      paramLabel = "N",
      description =
          "The most elements one input tensor may hold (HTTP 400 / INVALID_ARGUMENT beyond). Default: ${DEFAULT-VALUE}.")
  long maxTensorElements;

  SecurityOptions toOptions() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(
          spec.commandLine(), "--tls-cert and --tls-key must be given together");
    }
    if (tlsClientCa != null && tlsCert == null) {
      throw new ParameterException(
          spec.commandLine(), "--tls-client-ca needs --tls-cert and --tls-key");
    }
    SecurityOptions options = SecurityOptions.none().withMaxTensorElements(maxTensorElements);
    if (authConfig != null) {
      options = options.withAuthConfig(authConfig);
    }
    if (tlsCert != null) {
      options = options.withTls(new TlsOptions(tlsCert, tlsKey, Optional.ofNullable(tlsClientCa)));
    }
    return options;
  }
}
