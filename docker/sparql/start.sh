#!/bin/sh
# Serve the film graph read-only; on first start (a store without a single triple) load the seed file first.
# `oxigraph load` is atomic: an interrupted load leaves the store empty, so the next start loads again.
set -eu
LOCATION=${SPARQL_LOCATION:-/data}
SEED=${SPARQL_SEED:-/seed/graph.nt}
if ! oxigraph query --location "$LOCATION" --query 'ASK { ?s ?p ?o }' --results-format json 2>/dev/null | grep -q true; then
  echo "sparql: loading $SEED into $LOCATION"
  oxigraph load --location "$LOCATION" --file "$SEED"
fi
exec oxigraph serve-read-only --location "$LOCATION" --bind "${SPARQL_BIND:-0.0.0.0:7878}"
