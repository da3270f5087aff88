#!/usr/bin/env bash
# Issue 28's tables: the default stop against a long run, and the spread between solver seeds.
#   bash Benchmarks/stops.sh [--flexsched PATH] [--bench PATH] [--sizes S,M,L] [--seeds 1,2,3,4,5] [--spread M,L]
#                            [--long "--time-limit 60 --patience 60"] [--out DIR]
# Part 1: for every size and generator seed N, the planted week (flexsched-bench --write-scenarios) is
# solved with the defaults and with --long, both with solver seed N.
# Part 2: for every size in --spread, the week of generator seed 1 is solved with the defaults and solver
# seeds 1-5 (the same week, so the spread is the search's luck alone).
# Runs go one after the other; every timetable is checked by `solve` before it is printed. Prints Markdown.
# --flexsched and --bench default to a release build made here.
set -euo pipefail
cd "$(dirname "$0")/.."

flexsched="" bench="" sizes="S,M,L" seeds="1,2,3,4,5" spread="M,L" long="--time-limit 60 --patience 60" out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --flexsched) flexsched="$2"; shift 2 ;;
        --bench) bench="$2"; shift 2 ;;
        --sizes) sizes="$2"; shift 2 ;;
        --seeds) seeds="$2"; shift 2 ;;
        --spread) spread="$2"; shift 2 ;;
        --long) long="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
for list in "$sizes" "$seeds" "$spread"; do
    [[ -z "$list" || "$list" =~ ^[A-Z0-9]+(,[A-Z0-9]+)*$ ]] || { echo "error: '$list' is not a comma-separated list" >&2; exit 2; }
done
if [ -z "$flexsched" ] || [ -z "$bench" ]; then
    swift build -c release --product flexsched >&2
    swift build -c release --product flexsched-bench >&2
    bin="$(swift build -c release --show-bin-path)"
    flexsched="${flexsched:-$bin/flexsched}" bench="${bench:-$bin/flexsched-bench}"
fi
out="${out:-$(mktemp -d /tmp/flexsched-stops.XXXXXX)}"
mkdir -p "$out"
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, results in $out" >&2

# One solve: prints "comfort unmet seconds stop" from the checked timetable's JSON.
solve() {
    local scenario="$1" seed="$2" name="$3"; shift 3
    "$flexsched" solve "$scenario" --seed "$seed" "$@" --json > "$out/$name.json" 2> "$out/$name.log"
    python3 - "$out/$name.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
s = t["stats"]
print(round(t["bounds"]["comfortScore"]), s["unmetSessions"], "%.1f" % s["seconds"], s["stopReason"], t["bounds"]["comfort"])
EOF
}

unmet() { [ "$1" = 0 ] || echo ", $1 unmet"; }
IFS=, read -ra size_list <<< "$sizes"
IFS=, read -ra seed_list <<< "$seeds"
for g in "${seed_list[@]}"; do
    mkdir -p "$out/week$g"
    [ -f "$out/week$g/s.yaml" ] || "$bench" --sizes "$sizes" --seed "$g" --time-limit 1 --write-scenarios "$out/week$g" > /dev/null
done

echo "### The default stop against \`$long\`"
echo
echo "Comfort score (unmet sessions are 0 unless shown), seconds and stop; the last column is the default's distance from the long run."
echo
echo "| week | default | $long | default vs long |"
echo "|---|---|---|---|"
for size in "${size_list[@]}"; do
    lower=$(echo "$size" | tr 'A-Z' 'a-z')
    for g in "${seed_list[@]}"; do
        read -r dc du ds dstop dbound < <(solve "$out/week$g/$lower.yaml" "$g" "$size-$g-default")
        # shellcheck disable=SC2086
        read -r lc lu ls lstop _ < <(solve "$out/week$g/$lower.yaml" "$g" "$size-$g-long" $long)
        ratio=$(python3 -c "print('%+.1f %%' % (($dc - $lc) / max($lc, 1) * 100))")
        echo "| $size seed $g (bound $dbound) | $dc$(unmet "$du") ($ds s, $dstop) | $lc$(unmet "$lu") ($ls s, $lstop) | $ratio |"
    done
done

[ -z "$spread" ] && exit 0
echo
echo "### Spread between solver seeds 1-5 on the week of generator seed 1, default settings"
echo
echo "| week | seed 1 | seed 2 | seed 3 | seed 4 | seed 5 | spread (max - min) / min |"
echo "|---|---|---|---|---|---|---|"
IFS=, read -ra spread_list <<< "$spread"
for size in "${spread_list[@]}"; do
    lower=$(echo "$size" | tr 'A-Z' 'a-z')
    mkdir -p "$out/week1"
    [ -f "$out/week1/$lower.yaml" ] || "$bench" --sizes "$size" --seed 1 --time-limit 1 --write-scenarios "$out/week1" > /dev/null
    cells=() scores=()
    for s in 1 2 3 4 5; do
        read -r c u secs stop _ < <(solve "$out/week1/$lower.yaml" "$s" "$size-spread-$s")
        cells+=("$c$(unmet "$u") ($secs s, $stop)")
        scores+=("$c")
    done
    spread_value=$(python3 -c "s=[$(IFS=,; echo "${scores[*]}")]; print('%.1f %%' % ((max(s) - min(s)) / max(min(s), 1) * 100))")
    echo "| $size | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} | ${cells[4]} | $spread_value |"
done
