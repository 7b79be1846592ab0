# shellcheck shell=bash
# Development secrets, made with openssl: a CA, a server certificate for
# 127.0.0.1/localhost and the service names, a client certificate for
# service-to-service mutual TLS, the token-signing key pair, and the
# personal-data keys. Never for production. Source it; do not run it.

# make_dev_secrets DIR: creates whatever is missing in DIR (mode 700).
make_dev_secrets() {
  local dir=$1
  mkdir -p "$dir"
  chmod 700 "$dir"
  (
    cd "$dir"
    umask 077
    if [[ ! -s ca.pem ]]; then
      openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
        -keyout ca.key -out ca.pem -subj "/CN=unionhub development CA" \
        2>/dev/null
      rm -f server.pem client.pem
    fi
    local name
    for name in server client; do
      [[ -s $name.pem ]] && continue
      local usage=serverAuth
      [[ $name == client ]] && usage=clientAuth
      openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$name.key" \
        -out "$name.csr" -subj "/CN=unionhub-$name" 2>/dev/null
      printf '%s\n' \
        "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:membership,DNS:finance,DNS:awards" \
        "extendedKeyUsage=$usage" >"$name.ext"
      openssl x509 -req -sha256 -days 825 -in "$name.csr" -CA ca.pem \
        -CAkey ca.key -CAcreateserial -out "$name.pem" -extfile "$name.ext" \
        2>/dev/null
      rm -f "$name.csr" "$name.ext"
    done
    if [[ ! -s jwt-signing.pem ]]; then
      openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
        -out jwt-signing.pem 2>/dev/null
      openssl pkey -in jwt-signing.pem -pubout -out jwt-public.pem
    fi
    [[ -s pii-keys ]] || printf '1:%s\n' "$(openssl rand -base64 32)" >pii-keys
    [[ -s pii-hmac-key ]] || openssl rand -base64 32 >pii-hmac-key
    # Finance's ledger chain key: only the service holds it, never the
    # database (services/finance/store/ledger_key.h).
    [[ -s ledger-hmac-key ]] || openssl rand -base64 32 >ledger-hmac-key
  )
}

# export_service_security DIR: the environment a service needs to run with
# TLS, token verification and personal-data keys from DIR.
export_service_security() {
  local dir=$1
  export UNIONHUB_TLS_CERT_FILE="$dir/server.pem"
  export UNIONHUB_TLS_KEY_FILE="$dir/server.key"
  export UNIONHUB_TLS_CLIENT_CA_FILE="$dir/ca.pem"
  export UNIONHUB_JWT_PUBLIC_KEY_FILE="$dir/jwt-public.pem"
  UNIONHUB_PII_KEYS="$(tr -d '\n' <"$dir/pii-keys")"
  UNIONHUB_PII_HMAC_KEY="$(tr -d '\n' <"$dir/pii-hmac-key")"
  UNIONHUB_LEDGER_HMAC_KEY="$(tr -d '\n' <"$dir/ledger-hmac-key")"
  export UNIONHUB_PII_KEYS UNIONHUB_PII_HMAC_KEY UNIONHUB_LEDGER_HMAC_KEY
  export UNIONHUB_PII_ACTIVE_KEY_ID=1
}
