#!/bin/sh
# Registers the runs-fleet custom search attributes (Workflows/Common/SearchAttributes.cs) on the
# namespace, once the Temporal frontend answers. Idempotent: an attribute that exists is kept.
set -eu
: "${TEMPORAL_ADDRESS:=temporal:7233}"
: "${TEMPORAL_NAMESPACE:=default}"
export TEMPORAL_ADDRESS TEMPORAL_NAMESPACE

tries=0
until temporal operator cluster health >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 90 ]; then
    echo "Temporal at $TEMPORAL_ADDRESS did not become healthy in 3 minutes" >&2
    exit 1
  fi
  sleep 2
done
until temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; do
  sleep 2
done

for name in RunsFleetJobId RunsFleetInstanceId RunsFleetPool RunsFleetSweepType; do
  if temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" | grep -q "$name"; then
    echo "search attribute $name already registered"
  else
    temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type Keyword
    echo "search attribute $name registered"
  fi
done
