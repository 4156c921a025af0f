package ai.thinkheads.phoenix.certs.activities.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM in and out: certificates, chains and private keys (written as PKCS#8; read also in the traditional forms). */
public final class Pem {

  private Pem() {}

  public static String encode(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object object : objects) {
        // Private keys as PKCS#8: the traditional "EC PRIVATE KEY" form BouncyCastle makes of a JDK EC key
        // loses the curve, so nothing (not even parse below) can read it back.
        writer.writeObject(object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public static String encodeChain(List<X509Certificate> chain) {
    return encode(chain.toArray());
  }

  public static byte[] bytes(String pem) {
    return pem.getBytes(StandardCharsets.US_ASCII);
  }

  /** Every certificate in the text, in order; fails if there is none. */
  public static List<X509Certificate> certificates(String pem) throws InvalidPemException {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object;
      while ((object = parser.readObject()) != null) {
        if (object instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new InvalidPemException("not a PEM certificate: " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw new InvalidPemException("no PEM certificate found");
    }
    return out;
  }

  public static PrivateKey privateKey(String pem) throws InvalidPemException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object;
      while ((object = parser.readObject()) != null) {
        if (object instanceof PrivateKeyInfo info) {
          return standard(converter.getPrivateKey(info));
        }
        if (object instanceof PEMKeyPair pair) {
          // A traditional EC key may come without its public half; the private part is all we need.
          return standard(converter.getPrivateKey(pair.getPrivateKeyInfo()));
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new InvalidPemException("not a PEM private key: " + e.getMessage());
    }
    throw new InvalidPemException("no unencrypted PEM private key found");
  }

  /**
   * The key as the JDK's own provider makes it. Once BouncyCastle is a registered provider (SSHJ registers it,
   * and so does the step-ca issuer) the converter returns BC keys named "ECDSA", which JSSE refuses as a client
   * key and KeyPairs would not match with a JDK "EC" certificate key.
   */
  private static PrivateKey standard(PrivateKey key) throws GeneralSecurityException {
    if (!"ECDSA".equals(key.getAlgorithm())) {
      return key;
    }
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
  }

  /** The text was not the PEM it should have been; the message says what was wrong, never the content. */
  public static final class InvalidPemException extends Exception {
    public InvalidPemException(String message) {
      super(message);
    }
  }
}
