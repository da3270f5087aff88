# Sourced by the benchmark scripts: a Python venv under .build/ with the peers (highspy, ortools) and
# matplotlib, first on PATH so peers.py and scaling.py run in it. Nothing outside .build/ changes.
venv=.build/peers-venv
mkdir -p .build
[ -x "$venv/bin/python3" ] || python3 -m venv "$venv"
"$venv/bin/python3" -c 'import highspy, ortools, matplotlib' 2>/dev/null \
    || "$venv/bin/python3" -m pip install --quiet highspy ortools matplotlib
export PATH="$PWD/$venv/bin:$PATH"
