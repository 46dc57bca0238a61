#!/bin/sh
# Makes development certificates for EvalCluster's mutual TLS: a CA (ca.crt) and one member certificate
# (tls.crt, tls.key; server and client use) that every silo and the coordinator present. Not for production:
# use your own CA (e.g. cert-manager) there, with the same three file names.
#   deploy/tls/make-dev-certs.sh OUT_DIR [EXTRA_DNS_NAME ...]
# Kubernetes: kubectl -n evalcluster create secret generic evalcluster-tls \
#   --from-file=OUT_DIR/tls.crt --from-file=OUT_DIR/tls.key --from-file=OUT_DIR/ca.crt
set -eu
out=${1:?usage: make-dev-certs.sh OUT_DIR [EXTRA_DNS_NAME ...]}
shift
mkdir -p "$out"
if [ -s "$out/tls.crt" ] && [ -s "$out/tls.key" ] && [ -s "$out/ca.crt" ]; then
  echo "make-dev-certs: $out already holds tls.crt, tls.key and ca.crt; delete them to make new ones"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
san="DNS:localhost,IP:127.0.0.1,DNS:silo-a,DNS:silo-b,DNS:redis,DNS:*.evalcluster-silo.evalcluster.svc.cluster.local,DNS:*.evalcluster-silo"
for name in "$@"; do san="$san,DNS:$name"; done
openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj "/CN=EvalCluster dev CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>/dev/null
openssl req -newkey rsa:3072 -nodes -subj "/CN=evalcluster-member" -keyout "$tmp/tls.key" -out "$tmp/tls.csr" 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' "$san" > "$tmp/ext.cnf"
openssl x509 -req -in "$tmp/tls.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -CAcreateserial -days 825 \
  -extfile "$tmp/ext.cnf" -out "$tmp/tls.crt" 2>/dev/null
# Written last and together, so a failed run leaves nothing half-made.
cp "$tmp/ca.crt" "$tmp/tls.crt" "$tmp/tls.key" "$out/"
chmod 0644 "$out/ca.crt" "$out/tls.crt"
chmod 0640 "$out/tls.key"
echo "make-dev-certs: wrote $out/ca.crt, $out/tls.crt, $out/tls.key"
