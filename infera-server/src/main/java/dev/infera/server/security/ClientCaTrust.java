package dev.infera.server.security;

import io.netty.handler.ssl.OpenSslCertificateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts client certificates that chain to the client CA file, and tells a refused client why in
 * the TLS alert: a certificate from another CA gets {@code unknown_ca} (RFC 8446 §6.2), as the
 * JDK's TLS would send, instead of the {@code internal_error} OpenSSL sends for a trust manager's
 * plain refusal. Expired and not-yet-valid certificates keep their own exceptions (and alerts).
 * Server certificates are never checked with it.
 */
final class ClientCaTrust extends X509ExtendedTrustManager {
  /**
   * OpenSSL's X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, which OpenSSL answers with unknown_ca.
   */
  private static final int UNKNOWN_ISSUER = 20;

  private final X509ExtendedTrustManager delegate;

  private ClientCaTrust(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  /** The trust in the CA certificates of a PEM file. */
  static ClientCaTrust of(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("client-ca-" + i++, ca);
      }
      if (i == 0) {
        throw new IllegalArgumentException(
            "--tls-client-ca " + caFile + " holds no PEM certificate");
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return new ClientCaTrust(x509);
        }
      }
      throw new IllegalStateException("the JDK offers no X.509 trust manager");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --tls-client-ca " + caFile, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--tls-client-ca " + caFile + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  private static CertificateException refusal(CertificateException e) {
    if (e instanceof CertificateExpiredException || e instanceof CertificateNotYetValidException) {
      return e;
    }
    OpenSslCertificateException unknownIssuer =
        new OpenSslCertificateException(
            "client certificate not issued by the client CA: " + e.getMessage(), UNKNOWN_ISSUER);
    unknownIssuer.initCause(e);
    return unknownIssuer;
  }

  /** One of the delegate's checks. */
  private interface Check {
    void run() throws CertificateException;
  }

  private static void client(Check check) throws CertificateException {
    try {
      check.run();
    } catch (CertificateException e) {
      throw refusal(e);
    }
  }

  private static CertificateException notForServers() {
    return new CertificateException("a client CA does not check servers");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    client(() -> delegate.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    client(() -> delegate.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    client(() -> delegate.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw notForServers();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw notForServers();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw notForServers();
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
