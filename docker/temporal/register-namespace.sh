#!/bin/sh
# The temporal-namespace service (temporalio/admin-tools), run once the server is up: registers the
# application's namespace and the custom search attributes its workflows upsert, then checks they are
# there. Idempotent, so it runs on every `docker compose up`; the worker and the API start only after it
# has succeeded, i.e. on a server that is serving and set up.
set -eu

ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
# Keyword: exact-match filters in list queries and the Web UI (OrgId = 'org-1'). Keep in step with the
# search attributes the workflows upsert: upserting an unregistered one fails the workflow task.
SEARCH_ATTRIBUTES="OrgId XeroTenantId ConnectionState SyncPhase"
ATTEMPTS=${ATTEMPTS:-60}

# what, command...: a new server (or namespace) takes a few seconds to answer, so each step is retried.
retry() {
  what=$1
  shift
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$ATTEMPTS" ]; then
      echo "temporal-namespace: $what: still failing after $attempt attempts" >&2
      exit 1
    fi
    attempt=$((attempt + 1))
    sleep 2
  done
}

has_keyword_attribute() {
  temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" --output json \
    | grep -Eiq "\"$1\"[[:space:]]*:[[:space:]]*\"(indexed_value_type_)?keyword\""
}

namespace_exists() {
  temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1
}

retry "server health at $ADDRESS" temporal operator cluster health --address "$ADDRESS"

if namespace_exists; then
  echo "temporal-namespace: namespace $NAMESPACE exists"
else
  retry "create namespace $NAMESPACE" temporal operator namespace create --address "$ADDRESS" --namespace "$NAMESPACE"
fi

for name in $SEARCH_ATTRIBUTES; do
  # One attribute per call: given several --name and one --type, the CLI adds only the first.
  # A new namespace is unknown to the server for a few seconds, hence the retry.
  retry "search attribute $name" temporal operator search-attribute create \
    --address "$ADDRESS" --namespace "$NAMESPACE" --name "$name" --type Keyword
  retry "search attribute $name listed as Keyword" has_keyword_attribute "$name"
done
echo "temporal-namespace: namespace $NAMESPACE with search attributes $SEARCH_ATTRIBUTES"
