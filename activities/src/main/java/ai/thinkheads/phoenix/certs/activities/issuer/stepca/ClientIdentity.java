package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.activities.issuer.HeldCertificate;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one certificate and key as the TLS client identity, whatever the server asks for: the CA decides
 * whether it accepts it, and says so. Used for {@code /1.0/renew} and {@code /1.0/rekey}.
 */
final class ClientIdentity extends X509ExtendedKeyManager {

  private static final String ALIAS = "held";

  private final X509Certificate[] chain;
  private final PrivateKey key;

  ClientIdentity(HeldCertificate held) {
    this.chain = held.chain().toArray(X509Certificate[]::new);
    this.key = jdkKey(held.key());
  }

  /** JSSE presents a key only if its algorithm is named as the JDK names it ("EC", not BouncyCastle's "ECDSA"). */
  private static PrivateKey jdkKey(PrivateKey key) {
    if (!"ECDSA".equals(key.getAlgorithm())) {
      return key;
    }
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot use the held key as a TLS client key: " + e.getMessage(), e);
    }
  }

  private String aliasFor(String[] keyTypes) {
    String algorithm = key.getAlgorithm();
    if (keyTypes == null) {
      return ALIAS;
    }
    for (String type : keyTypes) {
      // JSSE asks by key type: "EC", "RSA", "RSASSA-PSS", or TLS 1.2 names like "EC_EC" and "ECDHE_RSA"
      if (type.equals(algorithm) || type.startsWith(algorithm + "_") || type.endsWith("_" + algorithm)
          || ("RSA".equals(algorithm) && type.startsWith("RSASSA-PSS"))) {
        return ALIAS;
      }
    }
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return aliasFor(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyTypes);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return aliasFor(new String[] {keyType}) == null ? null : new String[] {ALIAS};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
