#!/usr/bin/env bash
# Runs a command against a freshly started moto server (the IAM engine inside LocalStack).
# Usage: scripts/with-emulator.sh COMMAND [ARGS...]
# Starts moto on a free loopback port, waits until GET /moto-api/ answers, exports
# AWS_ENDPOINT_URL and dummy credentials, runs COMMAND, and always stops the server afterwards.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.tmp"
mkdir -p "$state"

python=${PYTHON:-python3}
if [ -x "$state/venv/bin/python" ] && ! "$python" -c 'import moto.server' 2>/dev/null; then
  python="$state/venv/bin/python"
fi
if ! "$python" -c 'import moto.server, flask' 2>/dev/null; then
  echo "moto server is not installed for $python." >&2
  echo "Trying: $python -m venv $state/venv && pip install 'moto[server]==5.2.1'" >&2
  if "$python" -m venv "$state/venv" && "$state/venv/bin/pip" install -q 'moto[server]==5.2.1'; then
    python="$state/venv/bin/python"
  else
    echo "Could not install moto. Install it with: pip install 'moto[server]==5.2.1'" >&2
    exit 1
  fi
fi

port=${MOTO_PORT:-$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')}
log="$state/moto-$port.log"
# scripts/moto_server.py is `python -m moto.server` with one request thread (see why there).
MOTO_IAM_LOAD_MANAGED_POLICIES=true "$python" "$root/scripts/moto_server.py" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!

stop() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
}
trap stop EXIT INT TERM

for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$moto_pid" 2>/dev/null; then
    echo "moto server exited; its log:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/moto-api/" >/dev/null || { echo "moto did not answer on port $port" >&2; exit 1; }

export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export MOTO_ENDPOINT="$AWS_ENDPOINT_URL"
export MOTO_PID="$moto_pid" # the benchmark reads the emulator's CPU time
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-testing}
export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-testing}
export AWS_REGION=${AWS_REGION:-us-east-1}
export AWS_EC2_METADATA_DISABLED=true
echo "moto server on $AWS_ENDPOINT_URL (log: $log)" >&2

set +e
"$@"
rc=$?
set -e
exit $rc
