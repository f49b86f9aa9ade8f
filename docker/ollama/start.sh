#!/bin/sh
# Start the Ollama server, then pull every model named in $OLLAMA_PULL (space-separated) that is not there yet.
# The healthcheck reports healthy only once all of them are present, so nothing that depends on it starts early;
# a pull that fails is logged and leaves the service unhealthy (restart the service to try again).
set -u
ollama serve &
server=$!
# PID 1 passes `docker stop` on to the server instead of ignoring it.
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; exit 0' TERM INT
until ollama list >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { echo "ollama: the server exited" >&2; exit 1; }
  sleep 1
done
for model in ${OLLAMA_PULL:-}; do
  ollama show "$model" >/dev/null 2>&1 || ollama pull "$model" || echo "ollama: could not pull $model" >&2
done
wait "$server"
