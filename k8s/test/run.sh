#!/usr/bin/env bash
# The manifests' test (ctest label k8s): renders both overlays with
# `kubectl kustomize`, validates every object offline against the Kubernetes
# OpenAPI schemas and the suite's deployment rules (check.mjs: the three
# services and the console), and checks that the checker itself catches a
# broken manifest.
# Exit 77 (ctest: skipped) when kubectl or node is not installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
for tool in kubectl node npm; do
  command -v "$tool" >/dev/null || { echo "skipped: no $tool on PATH"; exit 77; }
done
if [[ ! -d $here/node_modules/kubernetes-models ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
"$root/scripts/k8s-dev-secrets"
rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT
for overlay in dev production; do
  kubectl kustomize "$root/k8s/overlays/$overlay" >"$rendered/$overlay.yaml"
  node "$here/check.mjs" --overlay "$overlay" --readme "$root/k8s/README.md" \
    <"$rendered/$overlay.yaml"
done

# A check that cannot fail proves nothing: break eight rules and expect
# each to be named (the last three the console's: plain-HTTP probes, the
# development sign-in instead of the identity proxy's header, no way to
# awards' gRPC port).
sed -e 's/maxUnavailable: 0/maxUnavailable: 1/' \
  -e 's/scheme: HTTPS/scheme: HTTP/' \
  -e 's#UNIONHUB_IDENTITY_HEADER: X-Forwarded-Access-Token#UNIONHUB_DEV_SIGNING_KEY_FILE: /etc/unionhub/dev-signing/signing.pem#' \
  -e 's/- port: 50053$/- port: 50099/' \
  -e 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' \
  -e 's#image: unionhub/finance:0.2.0#image: unionhub/finance:latest#' \
  -e 's/--metrics_listen=0.0.0.0:9464/--metrics_listen=0.0.0.0:9999/' \
  -e 's/kubernetes.io\/metadata.name: monitoring/kubernetes.io\/metadata.name: default/' \
  "$rendered/production.yaml" >"$rendered/broken.yaml"
if node "$here/check.mjs" --overlay production --readme "$root/k8s/README.md" \
  <"$rendered/broken.yaml" >"$rendered/broken.out"; then
  echo "FAIL: the check passed a broken manifest"
  exit 1
fi
for expected in "maxUnavailable is not 0" "writable root filesystem" \
  "image unionhub/finance:latest is not pinned" \
  "the metrics port is not the --metrics_listen port" \
  "no NetworkPolicy rule lets Prometheus (namespace monitoring) reach metrics port 9464" \
  "console: readinessProbe is not HTTPS GET /healthz on the console port" \
  "console: the development sign-in is on in production" \
  "console: no identity proxy header (UNIONHUB_IDENTITY_HEADER) in production" \
  "console: no NetworkPolicy lets it reach awards's gRPC port 50053" \
  "console: awards's ingress does not admit it on gRPC port 50053"; do
  grep -q "$expected" "$rendered/broken.out" || {
    echo "FAIL: the check did not report: $expected"
    cat "$rendered/broken.out"
    exit 1
  }
done
echo "the check reports a broken manifest: ok"
