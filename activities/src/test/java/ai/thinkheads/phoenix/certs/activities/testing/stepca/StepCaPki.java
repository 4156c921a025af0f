package ai.thinkheads.phoenix.certs.activities.testing.stepca;

import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.crypto.KeyPairs;
import ai.thinkheads.phoenix.certs.activities.issuer.LocalCa;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.PasswordBasedEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;

/**
 * Everything a test step-ca needs, made with the project's own crypto: root and intermediate from
 * {@link LocalCa}; a JWK provisioner whose key is encrypted with nimbus-jose-jwt the way {@code step} does it
 * (PBES2-HS256+A128KW, A256GCM, cty jwk+json); a second JWK and an ACME provisioner; a badger database;
 * {@code ca.json}.
 */
record StepCaPki(Path dir, Path caJson, Path rootFile, String fingerprint, String provisioner, Path passwordFile) {

  static final String PROVISIONER = "phoenix";
  /** The longest certificate the provisioner signs; {@code StepCaRejectionTest} asks for more. */
  static final String MAX_DURATION = "48h";
  /** Names the provisioner's template accepts; anything else fails with {@link #POLICY_MESSAGE}. */
  static final String ALLOWED_SUFFIX = ".internal.test";
  static final String POLICY_MESSAGE = "is outside the SAN policy of provisioner phoenix";
  static final int PBES2_ITERATIONS = 100_000; // what `step crypto jwk create` uses

  /**
   * step-ca 0.19 has no x509 name policy yet; a provisioner template that calls {@code fail} is how it was done
   * then, and it makes the CA itself refuse (HTTP 400 with our message), as a policy would.
   */
  static final String POLICY_TEMPLATE = """
      {{- range .SANs }}{{- if not (or (eq .Value "127.0.0.1") (hasSuffix "%s" .Value)) }}\
      {{ fail (printf "SAN %%s %s" .Value) }}{{- end }}{{- end }}
      {
        "subject": {{ toJson .Subject }},
        "sans": {{ toJson .SANs }},
      {{- if typeIs "*rsa.PublicKey" .Insecure.CR.PublicKey }}
        "keyUsage": ["keyEncipherment", "digitalSignature"],
      {{- else }}
        "keyUsage": ["digitalSignature"],
      {{- end }}
        "extKeyUsage": ["serverAuth", "clientAuth"]
      }""".formatted(ALLOWED_SUFFIX, POLICY_MESSAGE);

  /** A provisioner whose template forces the subject (SANs and usages as asked): the answers the project refuses. */
  static final String FORCED_SUBJECT = "forced-subject";
  static final String FORCED_SUBJECT_TEMPLATE = """
      {
        "subject": {"commonName": "fixed-subject", "organization": "Evil Org"},
        "sans": {{ toJson .SANs }},
        "keyUsage": ["digitalSignature"],
        "extKeyUsage": ["serverAuth", "clientAuth"]
      }""";

  private static final SecureRandom RANDOM = new SecureRandom();

  static StepCaPki create(Path dir, int port) {
    try {
      LocalCa ca = LocalCa.openOrCreate(dir.resolve("pki"), "phoenix step-ca test");
      Path rootFile = dir.resolve("pki/root_ca.crt");
      Path passwordFile = dir.resolve("provisioner.pass");
      byte[] secret = new byte[24];
      RANDOM.nextBytes(secret);
      Files.writeString(passwordFile, HexFormat.of().formatHex(secret) + "\n");
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));

      ObjectMapper json = new ObjectMapper();
      ObjectNode config = json.createObjectNode();
      config.put("root", rootFile.toString());
      config.put("crt", dir.resolve("pki/intermediate_ca.crt").toString());
      config.put("key", dir.resolve("pki/intermediate_ca.key").toString());
      config.put("address", "127.0.0.1:" + port);
      config.putArray("dnsNames").add("127.0.0.1").add("localhost");
      config.putObject("db").put("type", "badgerv2").put("dataSource", dir.resolve("db").toString());
      config.putObject("logger").put("format", "text");
      ArrayNode provisioners = config.putObject("authority").putArray("provisioners");
      ObjectNode phoenix = jwkProvisioner(json, PROVISIONER, Files.readString(passwordFile).strip());
      phoenix.putObject("options").putObject("x509").put("template", POLICY_TEMPLATE);
      provisioners.add(jwkProvisioner(json, "other", "another password"));
      provisioners.add(phoenix);
      ObjectNode forced = jwkProvisioner(json, FORCED_SUBJECT, Files.readString(passwordFile).strip());
      forced.putObject("options").putObject("x509").put("template", FORCED_SUBJECT_TEMPLATE);
      provisioners.add(forced);
      provisioners.add(json.createObjectNode().put("type", "ACME").put("name", "acme"));
      Path caJson = dir.resolve("ca.json");
      Files.writeString(caJson, json.writerWithDefaultPrettyPrinter().writeValueAsString(config));
      return new StepCaPki(dir, caJson, rootFile, CertificateFacts.fingerprint(ca.root()), PROVISIONER,
          passwordFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the step-ca setup in " + dir, e);
    }
  }

  private static ObjectNode jwkProvisioner(ObjectMapper json, String name, String password) throws IOException {
    KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    try {
      ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic())
          .privateKey((ECPrivateKey) keys.getPrivate())
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyIDFromThumbprint()
          .build();
      JWEObject encrypted = new JWEObject(
          new JWEHeader.Builder(JWEAlgorithm.PBES2_HS256_A128KW, EncryptionMethod.A256GCM)
              .contentType("jwk+json").build(),
          new Payload(jwk.toJSONString()));
      encrypted.encrypt(new PasswordBasedEncrypter(password, 16, PBES2_ITERATIONS));
      ObjectNode provisioner = json.createObjectNode().put("type", "JWK").put("name", name);
      provisioner.set("key", json.readTree(jwk.toPublicJWK().toJSONString()));
      provisioner.put("encryptedKey", encrypted.serialize());
      provisioner.putObject("claims")
          .put("minTLSCertDuration", "10s")
          .put("maxTLSCertDuration", MAX_DURATION)
          .put("defaultTLSCertDuration", "24h");
      return provisioner;
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot make the JWK provisioner " + name, e);
    }
  }
}
