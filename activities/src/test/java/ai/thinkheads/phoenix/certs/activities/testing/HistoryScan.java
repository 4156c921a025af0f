package ai.thinkheads.phoenix.certs.activities.testing;

import ai.thinkheads.phoenix.certs.activities.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The strings a private key's bytes show up as: base64 of its DER, and hex of its secret number. */
  public static List<String> fingerprintsOf(Path keyFile) throws Exception {
    PrivateKey key = Pem.privateKey(Files.readString(keyFile));
    List<String> out = new ArrayList<>();
    String der = Base64.getEncoder().encodeToString(key.getEncoded());
    out.add(der.substring(der.length() / 2, der.length() / 2 + 40)); // a stretch of it, wherever it was cut
    out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(key.getEncoded()).substring(20, 60));
    if (key instanceof ECPrivateKey ec) {
      out.add(ec.getS().toString(16));
    } else if (key instanceof RSAPrivateCrtKey rsa) {
      out.add(rsa.getPrivateExponent().toString(16).substring(0, 40));
    }
    out.add(HexFormat.of().formatHex(key.getEncoded()).substring(60, 120));
    return out;
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
