# Shared by feeds-load.sh and pages-load.sh, which source it from the repository's root with
# `port` set to their default: their options, wrk and curl, the build of `flexsched` (plus any
# `products` named), a scratch folder, and stopping the server they start (`server`) at exit.
duration=10
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    *) echo "usage: $0 [--port PORT] [--duration SECONDS]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }

scratch=${SCRATCH_PATH:-.build} configuration=${CONFIGURATION:-release}
for product in flexsched ${products:-}; do
  swift build -c "$configuration" --scratch-path "$scratch" --product "$product"
done
bin="$scratch/$configuration"

work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
