#!/usr/bin/env bash
# One command for a machine with an NVIDIA GPU: install nnxp with the CuPy
# that matches the driver, run the GPU tests and the full suite, then the
# benchmark report.
#
#   bash benchmarks/gpu_check.sh                 # everything
#   bash benchmarks/gpu_check.sh --choose-extra  # only print cuda12/cuda13
#
# Environment:
#   PYTHON=python3           interpreter that creates the venv (>= 3.10)
#   NNXP_VENV=.venv          venv to create or reuse (relative to the repo root)
#   NNXP_CUDA_EXTRA=cuda12   force the extra instead of choosing from the driver
#   NNXP_SKIP_INSTALL=1      use the venv as it is (offline machines)
#   NNXP_ALLOW_GPU_SKIPS=1   do not fail when GPU tests are skipped
set -euo pipefail

log() { printf '\n==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# Prints cuda13 when the driver supports CUDA >= 13 and the GPU is Turing
# (compute capability 7.5) or newer, as CUDA 13 requires; cuda12 otherwise.
choose_extra() {
    if [[ -n "${NNXP_CUDA_EXTRA:-}" ]]; then
        case "$NNXP_CUDA_EXTRA" in
            cuda12 | cuda13) echo "$NNXP_CUDA_EXTRA" ;;
            *) die "NNXP_CUDA_EXTRA must be cuda12 or cuda13, not '$NNXP_CUDA_EXTRA'" ;;
        esac
        return
    fi
    local driver_cuda major cc
    driver_cuda=$(nvidia-smi | sed -n 's/.*CUDA Version: *\([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -n 1)
    if [[ -z "$driver_cuda" ]]; then
        warn "could not read the driver's CUDA version from nvidia-smi; using cuda12"
        echo cuda12
        return
    fi
    major=${driver_cuda%%.*}
    if ((major < 13)); then
        echo cuda12
        return
    fi
    # Lowest compute capability over all GPUs, e.g. "7.0" -> 70.
    cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2> /dev/null |
        tr -d ' .' | sort -n | head -n 1 || true)
    if [[ "$cc" =~ ^[0-9]+$ ]] && ((cc < 75)); then
        warn "driver supports CUDA $driver_cuda but a GPU has compute capability < 7.5; using cuda12"
        echo cuda12
        return
    fi
    echo cuda13
}

command -v nvidia-smi > /dev/null 2>&1 ||
    die "nvidia-smi not found: this check needs an NVIDIA GPU and its driver"

log "GPU"
nvidia-smi --query-gpu=index,name,driver_version,memory.total,compute_cap --format=csv ||
    nvidia-smi -L || die "nvidia-smi failed: is the driver loaded?"
extra=$(choose_extra)
echo "driver: $(nvidia-smi | grep -o 'CUDA Version: *[0-9.]*' | head -n 1 || echo 'CUDA Version: unknown')"
echo "chosen extra: $extra"
if [[ "${1:-}" == "--choose-extra" ]]; then
    exit 0
fi
[[ $# -eq 0 ]] || die "unknown argument: $1 (only --choose-extra is known)"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="benchmarks/results/gpu_check-$stamp"
mkdir -p "$out"
touch "$out/.start"

venv=${NNXP_VENV:-.venv}
if [[ ! -x "$venv/bin/python" ]]; then
    log "creating venv $venv"
    "${PYTHON:-python3}" -m venv "$venv" || die "could not create $venv (on Debian/Ubuntu: apt-get install python3-venv)"
fi
case "$venv" in
    /*) py="$venv/bin/python" ;;
    *) py="$repo/$venv/bin/python" ;;
esac
"$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
    die "$("$py" -V 2>&1) is too old: nnxp needs Python >= 3.10"
echo "python: $("$py" -V 2>&1) at $py"

cupys() {
    "$py" - << 'EOF'
import importlib.metadata as md
names = {(d.metadata["Name"] or "").lower() for d in md.distributions()}
print(" ".join(sorted(n for n in names if n.startswith("cupy"))))
EOF
}

want="cupy-${extra}x"
if [[ "${NNXP_SKIP_INSTALL:-0}" == 1 ]]; then
    log "NNXP_SKIP_INSTALL=1: using $venv as it is"
else
    # Two CuPy wheels in one venv overwrite each other's files: remove any
    # other one before installing.
    for pkg in $(cupys); do
        if [[ "$pkg" != "$want" ]]; then
            log "removing $pkg (this driver gets $want)"
            "$py" -m pip uninstall -y "$pkg"
        fi
    done
    log "pip install -e '.[$extra,test]'"
    "$py" -m pip install --disable-pip-version-check -e ".[$extra,test]"
fi

log "CuPy"
found=$(cupys)
echo "installed: ${found:-none}"
[[ "$found" == "$want" ]] ||
    die "expected exactly one CuPy package, $want; found: ${found:-none}. Remove the others: pip uninstall <name>"
"$py" -c '
import cupy
n = cupy.cuda.runtime.getDeviceCount()
x = cupy.arange(1000, dtype=cupy.float32)
assert float((x * x).sum()) == float(sum(i * i for i in range(1000)))
print(f"cupy {cupy.__version__}: {n} device(s), CUDA runtime {cupy.cuda.runtime.runtimeGetVersion()}, a kernel ran")
' || die "CuPy cannot run a kernel on this GPU"

log "python -m nnxp info"
if "$py" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("nnxp.__main__") is None)'; then
    "$py" -m nnxp info || warn "'python -m nnxp info' failed or does not exist yet (exit $?); going on"
else
    warn "nnxp has no __main__ yet; skipping"
fi

unset NNXP_TEST_BACKENDS

log "GPU tests: pytest -m gpu tests -v"
"$py" -m pytest -m gpu tests -v -rs --junitxml="$out/gpu-tests.xml" ||
    die "GPU tests failed (pytest exit $?; exit 5 means no test is marked gpu)"
skipped=$("$py" - "$out/gpu-tests.xml" << 'EOF'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
print(sum(int(s.get("skipped", 0)) for s in suites))
EOF
)
if ((skipped > 0)); then
    if [[ "${NNXP_ALLOW_GPU_SKIPS:-0}" == 1 ]]; then
        warn "$skipped GPU test(s) skipped (allowed by NNXP_ALLOW_GPU_SKIPS=1)"
    else
        die "$skipped GPU test(s) skipped on a GPU machine (reasons above); NNXP_ALLOW_GPU_SKIPS=1 to accept"
    fi
fi

log "full test suite: pytest tests"
"$py" -m pytest tests --junitxml="$out/all-tests.xml" || die "the test suite failed (pytest exit $?)"

log "benchmarks: python -m benchmarks.report --run"
"$py" -m benchmarks.report --run 2>&1 | tee "$out/report.log" ||
    die "the benchmark report failed (log: $out/report.log)"

log "done"
echo "GPU check logs: $repo/$out"
echo "files the report step wrote or changed:"
find benchmarks runs -type f -newer "$out/.start" ! -path '*/__pycache__/*' ! -path "$out/*" 2> /dev/null |
    sort | sed 's/^/  /' || true
echo "(the report's own output, above and in $out/report.log, names its report file)"
