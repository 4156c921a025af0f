package ai.thinkheads.phoenix.certs.activities.crypto;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/** Subject alternative names: an IPv4 or IPv6 literal becomes an IP SAN, anything else a DNS SAN. */
public final class SubjectNames {

  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

  private SubjectNames() {}

  public static boolean isIpAddress(String name) {
    return IPV4.matcher(name).matches() || (name.contains(":") && name.matches("^[0-9a-fA-F:.]+$"));
  }

  /** IP literals in one canonical spelling, so that "::1" in the inventory equals what a certificate holds. */
  public static String canonical(String name) {
    if (!isIpAddress(name)) {
      return name;
    }
    try {
      return InetAddress.getByName(name).getHostAddress();
    } catch (UnknownHostException e) {
      return name;
    }
  }

  public static GeneralNames generalNames(List<String> sans) {
    return new GeneralNames(sans.stream()
        .map(san -> new GeneralName(isIpAddress(san) ? GeneralName.iPAddress : GeneralName.dNSName, san))
        .toArray(GeneralName[]::new));
  }
}
