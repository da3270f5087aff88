#!/usr/bin/env bash
# flexsched against FET's own generator (fet-cl) on FET's bundled example schools (Debian fet-data).
# For every example that `flexsched import fet --strict` takes, one at a time: flexsched imports, solves
# and exports a locked file that fet-cl verifies; fet-cl solves the original; both timetables are
# measured by the same code (Benchmarks/fet/compare.py). Prints a Markdown row per file and a summary.
#   bash Benchmarks/fet/run.sh [--time-limit T] [--files GLOB-or-list] [--flexsched PATH] [--out DIR] [--seed N]
# --time-limit: seconds for each solver on each file (default 60). --files: comma-separated paths or globs,
# absolute or under /usr/share/doc/fet-data/examples (default: every example). --flexsched: the binary
# (default: a release build made here). --out: where logs, timetables and results go (default: a new
# folder under /tmp). --seed: flexsched's --seed and FET's random seeds (default 1).
set -euo pipefail
cd "$(dirname "$0")/../.."

limit=60 files="" flexsched="" out="" seed=1
while [ $# -gt 0 ]; do
    case "$1" in
        --time-limit) limit="$2"; shift 2 ;;
        --files) files="$2"; shift 2 ;;
        --flexsched) flexsched="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$limit" =~ ^[1-9][0-9]*$ ]] || { echo "error: --time-limit must be a whole number of seconds, 1 or more" >&2; exit 2; }
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "error: --seed must be a whole number" >&2; exit 2; }

# FET (fet-cl) and its examples are benchmark tools, not dependencies of the package.
need=()
command -v fet-cl >/dev/null || need+=(fet)
[ -d /usr/share/doc/fet-data/examples ] || need+=(fet-data)
if [ ${#need[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends "${need[@]}"
fi

if [ -z "$flexsched" ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
    swift build -c release --product flexsched >&2
    flexsched="$(swift build -c release --show-bin-path)/flexsched"
fi
[ -x "$flexsched" ] || { echo "error: --flexsched $flexsched is not an executable" >&2; exit 2; }
out="${out:-$(mktemp -d /tmp/flexsched-fet-bench-XXXXXX)}"
mkdir -p "$out"

echo "# flexsched against FET (fet-cl)"
echo
echo "- machine: $(hostname), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- flexsched: $("$flexsched" --version) ($flexsched); FET: $(dpkg-query -W -f='${Version}' fet 2>/dev/null || echo '?')"
echo "- time limit: ${limit} s each; seed: ${seed}; output: ${out}"
echo "- flexsched s: wall time of \`solve\` (only when every activity is placed); FET s: wall time of fet-cl on the original"
echo "- gaps: empty hours between the first and last busy hour of each day, per teacher and per FET subgroup, summed"
echo
exec python3 Benchmarks/fet/compare.py --flexsched "$flexsched" --time-limit "$limit" --files "$files" --out "$out" --seed "$seed"
