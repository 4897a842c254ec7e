package dev.infera.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for a test run: a CA, and server or client certificates it signs, with EC P-256
 * keys. Writes them as PEM (certificates, PKCS#8 keys) and builds JDK SSL contexts from them.
 */
final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate with its key. */
  record Issued(X509Certificate certificate, PrivateKey key) {
    Path writeCertificate(Path file) {
      return writePem(file, "CERTIFICATE", encoded(certificate));
    }

    Path writeKey(Path file) {
      return writePem(file, "PRIVATE KEY", key.getEncoded());
    }
  }

  private TestCertificates() {}

  static Issued authority(String name) {
    KeyPair pair = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder builder = builder(subject, subject, pair);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Issued(sign(builder, pair.getPrivate()), pair.getPrivate());
  }

  /** A certificate for localhost and 127.0.0.1, signed by {@code ca}. */
  static Issued server(Issued ca) {
    return leaf(ca, "localhost", true);
  }

  static Issued client(Issued ca, String name) {
    return leaf(ca, name, false);
  }

  private static Issued leaf(Issued ca, String name, boolean server) {
    KeyPair pair = keyPair();
    X500Name issuer = new X500Name(ca.certificate().getSubjectX500Principal().getName());
    X509v3CertificateBuilder builder = builder(issuer, new X500Name("CN=" + name), pair);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (server) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.dNSName, "localhost"),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Issued(sign(builder, ca.key()), pair.getPrivate());
  }

  /** A JDK SSL context trusting {@code ca}, presenting {@code identity} when not null. */
  static SSLContext sslContext(Issued ca, Issued identity) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (identity != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "test".toCharArray();
        keys.setKeyEntry(
            "me", identity.key(), password, new Certificate[] {identity.certificate()});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A JDK SSL context trusting {@code ca} that presents {@code identity} whatever CAs the server
   * asks for (as curl or openssl s_client do; the JDK's own key manager would send no certificate
   * to a server that names another CA).
   */
  static SSLContext sslContextPresentingAlways(Issued ca, Issued identity) {
    try {
      javax.net.ssl.X509ExtendedKeyManager always =
          new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
              return new String[] {"me"};
            }

            @Override
            public String chooseClientAlias(
                String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
              return "me";
            }

            @Override
            public String chooseEngineClientAlias(
                String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine e) {
              return "me";
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
              return new String[0];
            }

            @Override
            public String chooseServerAlias(
                String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
              return null;
            }

            @Override
            public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
              return new java.security.cert.X509Certificate[] {identity.certificate()};
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String alias) {
              return identity.key();
            }
          };
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.certificate());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new javax.net.ssl.KeyManager[] {always}, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        pair.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path writePem(Path file, String type, byte[] der) {
    String pem =
        "-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n";
    try {
      return Files.writeString(file, pem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
