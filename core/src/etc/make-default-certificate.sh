#!/usr/bin/env bash
# Makes the certificate the double uses for TLS out of the box: a test CA and a leaf for
# localhost, 127.0.0.1 and ::1, valid 2025-2124, written to
# core/src/main/resources/dev/smtpdouble/internal/tls/ (localhost.p12 with the chain, ca.pem).
# The private keys are published on purpose: they only ever serve tests. Nothing needs to run
# this again before 2124; it documents how the files were made (JDK keytool only).
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/src/main/resources/dev/smtpdouble/internal/tls"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
P=smtp-double
keytool -genkeypair -alias ca -keyalg EC -groupname secp256r1 \
  -dname "CN=smtp-double test CA (not a secret)" -ext bc:c -ext KeyUsage=keyCertSign,cRLSign \
  -startdate 2025/01/01 -validity 36500 -storetype PKCS12 -keystore ca.p12 -storepass $P
keytool -genkeypair -alias smtp-double -keyalg EC -groupname secp256r1 \
  -dname "CN=localhost, O=smtp-double test certificate (not a secret)" \
  -startdate 2025/01/01 -validity 36500 -storetype PKCS12 -keystore localhost.p12 -storepass $P
keytool -certreq -alias smtp-double -keystore localhost.p12 -storepass $P -file leaf.csr
keytool -gencert -alias ca -keystore ca.p12 -storepass $P -infile leaf.csr -outfile leaf.pem -rfc \
  -startdate 2025/01/01 -validity 36500 \
  -ext "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1" -ext "EKU=serverAuth" \
  -ext "KeyUsage:critical=digitalSignature"
keytool -exportcert -alias ca -keystore ca.p12 -storepass $P -rfc -file ca.pem
keytool -importcert -noprompt -alias ca -file ca.pem -keystore localhost.p12 -storepass $P
cat leaf.pem ca.pem > chain.pem
keytool -importcert -noprompt -alias smtp-double -file chain.pem -keystore localhost.p12 -storepass $P
keytool -delete -alias ca -keystore localhost.p12 -storepass $P
cp localhost.p12 ca.pem "$out/"
echo "wrote $out/localhost.p12 and $out/ca.pem"
