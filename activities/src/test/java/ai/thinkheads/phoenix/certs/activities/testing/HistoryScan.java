package ai.thinkheads.phoenix.certs.activities.testing;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Finds secrets in what Temporal stores: PEM private key blocks, a key's bytes in usual encodings, passwords. */
public final class HistoryScan {

  private HistoryScan() {}

  /**
   * The strings a private key's secret shows up as: the secret number (EC scalar, RSA private exponent) in hex
   * and base64, and the whole DER in base64. Public parts are left out: certificates carry them legitimately.
   */
  public static List<String> fingerprintsOf(Path keyFile) throws Exception {
    PrivateKey key = Pem.privateKey(Files.readString(keyFile));
    BigInteger secret = key instanceof ECPrivateKey ec ? ec.getS()
        : ((RSAPrivateCrtKey) key).getPrivateExponent();
    byte[] bytes = secret.toByteArray();
    String hex = HexFormat.of().formatHex(bytes);
    String base64 = Base64.getEncoder().encodeToString(bytes);
    return List.of(hex.substring(0, Math.min(40, hex.length())), base64.substring(0, Math.min(40, base64.length())),
        Base64.getEncoder().encodeToString(key.getEncoded()));
  }

  /** Each hit as "what: where"; empty when the histories are clean. */
  public static List<String> hits(List<String> histories, List<String> secrets) {
    List<String> hits = new ArrayList<>();
    for (int i = 0; i < histories.size(); i++) {
      String text = histories.get(i);
      if (text.contains("PRIVATE KEY")) {
        hits.add("a PEM private key block in payload " + i);
      }
      for (String secret : secrets) {
        if (text.contains(secret)) {
          hits.add("secret bytes '" + secret.substring(0, Math.min(8, secret.length())) + "...' in payload " + i);
        }
      }
    }
    return hits;
  }
}
