#!/bin/sh
# One-shot namespace creation, run by the `temporal-create-namespace` service once the server listens.
# Waits (bounded) until the frontend answers a health check, then creates the namespace unless it exists.
set -eu

: "${TEMPORAL_ADDRESS:=temporal:7233}"
: "${NAMESPACE:=default}"
: "${NAMESPACE_RETENTION:=168h}"
: "${MAX_ATTEMPTS:=60}"

attempt=1
until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
    echo "create-namespace: Temporal at $TEMPORAL_ADDRESS not healthy after $attempt attempts" >&2
    exit 1
  fi
  echo "create-namespace: Temporal at $TEMPORAL_ADDRESS not serving yet (attempt $attempt/$MAX_ATTEMPTS), retrying in 2 s"
  attempt=$((attempt + 1))
  sleep 2
done

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
  echo "create-namespace: namespace $NAMESPACE already exists"
  exit 0
fi

# A fresh namespace can take a moment to be visible to every frontend cache: retry the create a few times too.
attempt=1
until temporal operator namespace create --namespace "$NAMESPACE" --retention "$NAMESPACE_RETENTION" \
        --description "phoenix-certs certificate lifecycle workflows" --address "$TEMPORAL_ADDRESS"; do
  if temporal operator namespace describe --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
    break
  fi
  if [ "$attempt" -ge 10 ]; then
    echo "create-namespace: could not create namespace $NAMESPACE" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done
echo "create-namespace: namespace $NAMESPACE ready (retention $NAMESPACE_RETENTION)"
