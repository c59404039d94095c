#!/bin/sh
# What orch pki does, done with openssl alone (OpenSSL 3): the same files in the same places.
#
#   sh pki-openssl.sh init   CA_DIR [ec|ed25519] [CA_NAME]
#   sh pki-openssl.sh issue  CA_DIR NAME SSL_DIR [ec|ed25519] [HOST_OR_IP...]
#   sh pki-openssl.sh revoke CA_DIR NAME
#
# CA_DIR gets ca.pem, ca_key.pem (owner-only), crl.pem and issued/NAME.pem, as with orch pki,
# and openssl's own records: openssl.cnf, index.txt, crlnumber, newcerts/.
# SSL_DIR gets certs/NAME.pem, private_keys/NAME.pem (owner-only), certs/ca.pem and crl.pem.
set -eu

newkey() { # TYPE FILE: a new private key, readable by its owner only
  case "$1" in
    ec)      (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$2") ;;
    ed25519) (umask 077 && openssl genpkey -algorithm ED25519 -out "$2") ;;
    *)       echo "key type: ec or ed25519, not $1" >&2; exit 2 ;;
  esac
}

cmd=$1 ca=$2
case "$cmd" in
init)
  type=${3:-ec} name=${4:-orch CA}
  if [ -e "$ca/ca_key.pem" ]; then echo "$ca already holds a CA" >&2; exit 2; fi
  mkdir -p "$ca/issued" "$ca/newcerts" && chmod 700 "$ca"
  : > "$ca/index.txt"
  echo 01 > "$ca/crlnumber"
  dir=$(cd "$ca" && pwd)
  cat > "$ca/openssl.cnf" <<CNF
[ ca ]
default_ca       = orch_ca
[ orch_ca ]
certificate      = $dir/ca.pem
private_key      = $dir/ca_key.pem
database         = $dir/index.txt
new_certs_dir    = $dir/newcerts
crlnumber        = $dir/crlnumber
rand_serial      = yes
unique_subject   = no
default_md       = default
default_days     = 730
default_crl_days = 3650
policy           = cn_only
copy_extensions  = copy
x509_extensions  = leaf
crl_extensions   = crl
[ cn_only ]
commonName       = supplied
[ leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth, clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ crl ]
authorityKeyIdentifier = keyid
[ req ]
distinguished_name = subject
x509_extensions    = root
[ subject ]
[ root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
CNF
  newkey "$type" "$ca/ca_key.pem"
  openssl req -config "$ca/openssl.cnf" -x509 -new -key "$ca/ca_key.pem" -subj "/CN=$name" -days 3650 \
    -out "$ca/ca.pem"
  openssl ca -config "$ca/openssl.cnf" -gencrl -out "$ca/crl.pem"
  ;;
issue)
  name=$3 out=$4 type=${5:-ec} san=
  if [ $# -gt 5 ]; then
    shift 5
    for host; do
      case "$host" in
        *:*)       san="${san:+$san,}IP:$host" ;;
        *[!0-9.]*) san="${san:+$san,}DNS:$host" ;;
        *)         san="${san:+$san,}IP:$host" ;;
      esac
    done
  fi
  if [ -e "$out/private_keys/$name.pem" ]; then echo "$out/private_keys/$name.pem exists" >&2; exit 2; fi
  mkdir -p "$out/certs" "$out/private_keys"
  newkey "$type" "$out/private_keys/$name.pem"
  openssl req -config "$ca/openssl.cnf" -new -key "$out/private_keys/$name.pem" -subj "/CN=$name" \
    ${san:+-addext subjectAltName=$san} -out "$ca/newcerts/$name.csr"
  openssl ca -config "$ca/openssl.cnf" -batch -notext -in "$ca/newcerts/$name.csr" -out "$ca/issued/$name.pem"
  rm "$ca/newcerts/$name.csr"
  cp "$ca/issued/$name.pem" "$out/certs/$name.pem"
  cp "$ca/ca.pem" "$out/certs/ca.pem"
  cp "$ca/crl.pem" "$out/crl.pem"
  ;;
revoke)
  name=$3
  openssl ca -config "$ca/openssl.cnf" -revoke "$ca/issued/$name.pem"
  openssl ca -config "$ca/openssl.cnf" -gencrl -out "$ca/crl.pem"
  mkdir -p "$ca/revoked"
  cat "$ca/issued/$name.pem" >> "$ca/revoked/$name.pem" && rm "$ca/issued/$name.pem"
  ;;
*)
  echo "usage: pki-openssl.sh init|issue|revoke CA_DIR ..." >&2; exit 2 ;;
esac
