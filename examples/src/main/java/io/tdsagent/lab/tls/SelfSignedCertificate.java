package io.tdsagent.lab.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed server certificate made in memory with BouncyCastle: CN=localhost, SAN
 * DNS:localhost and IP:127.0.0.1, valid from a day ago for a year.
 */
public final class SelfSignedCertificate {
  private static final char[] STORE_PASSWORD = "tds-lab".toCharArray();
  private static volatile SelfSignedCertificate shared;

  private final PrivateKey privateKey;
  private final X509Certificate certificate;

  private SelfSignedCertificate(PrivateKey privateKey, X509Certificate certificate) {
    this.privateKey = privateKey;
    this.certificate = certificate;
  }

  /**
   * One certificate per JVM: making an RSA key costs tens of milliseconds, tests start many
   * servers.
   */
  public static SelfSignedCertificate shared() {
    SelfSignedCertificate c = shared;
    if (c == null) {
      synchronized (SelfSignedCertificate.class) {
        c = shared;
        if (c == null) {
          c = generate("localhost");
          shared = c;
        }
      }
    }
    return c;
  }

  public static SelfSignedCertificate generate(String commonName) {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
      kpg.initialize(2048, new SecureRandom());
      KeyPair keyPair = kpg.generateKeyPair();
      X500Name subject = new X500Name("CN=" + commonName + ", O=tds-agent lab");
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(Duration.ofDays(365))),
              subject,
              keyPair.getPublic());
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate());
      X509Certificate cert =
          new JcaX509CertificateConverter().getCertificate(builder.build(signer));
      return new SelfSignedCertificate(keyPair.getPrivate(), cert);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make the lab server's certificate", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  /** The certificate in PEM ("BEGIN CERTIFICATE") form. */
  public String pem() {
    try {
      String b64 =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Key store holding the private key and certificate, for the server's KeyManager. */
  public KeyStore keyStore() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("tds-lab", privateKey, STORE_PASSWORD, new Certificate[] {certificate});
    return ks;
  }

  static char[] keyPassword() {
    return STORE_PASSWORD.clone();
  }

  /** A server's TLS context with this key and certificate (default protocols). */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore(), keyPassword());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }

  /** A PKCS12 trust store holding only the certificate (no key), protected by {@code password}. */
  public byte[] trustStorePkcs12(char[] password) throws GeneralSecurityException, IOException {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("tds-lab", certificate);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ts.store(out, password);
    return out.toByteArray();
  }

  /** Writes the PEM to a new temp file (caller deletes it). */
  public Path writeTempPem() throws IOException {
    Path file = Files.createTempFile("tds-lab-", ".pem");
    Files.write(file, pem().getBytes(StandardCharsets.US_ASCII));
    return file;
  }
}
