#!/usr/bin/env bash
# One command for a machine with an NVIDIA GPU: install nnxp with the CuPy
# that matches the driver, run the GPU tests and the test suite on CuPy, then
# time the GPU implementations; everything it learns goes to one folder.
#
#   bash benchmarks/gpu_check.sh [OUT_DIR]       # everything (budgeted to about 8 minutes)
#   bash benchmarks/gpu_check.sh --choose-extra  # only print cuda12/cuda13
#
# OUT_DIR (default benchmarks/results/gpu_check-<UTC time>) receives versions.txt,
# info.txt, gpu-tests.xml and .log, suite-cupy.xml and .log, and the benchmark report
# (report.md, raw/*.json, report.log).
#
# Environment:
#   PYTHON=python3           interpreter that creates the venv (>= 3.10)
#   NNXP_VENV=.venv          venv to create or reuse (relative to the repo root)
#   NNXP_CUDA_EXTRA=cuda12   force the extra instead of choosing from the driver
#   NNXP_WHEELS=wheels       offline machine: a folder of the wheels nnxp needs beyond what the
#                            machine's Python has (benchmarks/gpu_wheels.sh fills it); the venv
#                            then sees the machine's own CuPy, torch and JAX
#   NNXP_SKIP_INSTALL=1      use the venv as it is
#   NNXP_ALLOW_GPU_SKIPS=1   do not fail when GPU tests are skipped
#   NNXP_SUITE_SECONDS=240   time allowed to the suite on CuPy, NNXP_BENCH_SECONDS=240 to the benchmarks
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
[[ $# -le 1 ]] || die "unknown arguments: $* (give one output folder, or --choose-extra)"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
out=${1:-benchmarks/results/gpu_check-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
{
    date -u +"date: %Y-%m-%dT%H:%M:%SZ"
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader
    nvidia-smi | grep -o 'CUDA Version: *[0-9.]*' | head -n 1 || true
    echo "nnxp commit: $(git rev-parse HEAD 2> /dev/null || echo unknown)"
} > "$out/versions.txt"

venv=${NNXP_VENV:-.venv}
wheels=${NNXP_WHEELS:-}
if [[ ! -x "$venv/bin/python" ]]; then
    log "creating venv $venv"
    if [[ -n "$wheels" ]]; then # the machine's own CuPy, torch and JAX stay visible
        "${PYTHON:-python3}" -m venv --system-site-packages "$venv"
    else
        "${PYTHON:-python3}" -m venv "$venv"
    fi || die "could not create $venv (on Debian/Ubuntu: apt-get install python3-venv)"
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
elif [[ -n "$wheels" ]]; then
    log "offline: nnxp's other dependencies from $wheels, nnxp itself without them"
    [[ -d "$wheels" ]] || die "NNXP_WHEELS=$wheels is not a folder (benchmarks/gpu_wheels.sh fills it)"
    "$py" -m pip install --disable-pip-version-check --no-index --find-links "$wheels" \
        "array-api-compat>=1.11" "array-api-strict>=2.3" "dask[array,distributed]>=2024.8" "zarr>=2.18"
    "$py" -m pip install --disable-pip-version-check --no-index --find-links "$wheels" --no-deps -e .
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
' | tee -a "$out/versions.txt" || die "CuPy cannot run a kernel on this GPU"

log "python -m nnxp info"
"$py" -m nnxp info 2>&1 | tee "$out/info.txt" || warn "'python -m nnxp info' failed (exit $?); going on"

unset NNXP_TEST_BACKENDS
status=0

log "GPU tests: pytest -m gpu tests"
"$py" -m pytest -m gpu tests -v -rs -p no:cacheprovider --junitxml="$out/gpu-tests.xml" 2>&1 |
    tee "$out/gpu-tests.log" || {
    warn "GPU tests failed (pytest exit ${PIPESTATUS[0]}; exit 5 means no test is marked gpu)"
    status=1
}
skipped=$("$py" - "$out/gpu-tests.xml" << 'EOF'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
print(sum(int(s.get("skipped", 0)) for s in suites))
EOF
)
if ((skipped > 0)) && [[ "${NNXP_ALLOW_GPU_SKIPS:-0}" != 1 ]]; then
    warn "$skipped GPU test(s) skipped on a GPU machine (reasons in $out/gpu-tests.log); NNXP_ALLOW_GPU_SKIPS=1 to accept"
    status=1
fi

# The whole suite again with every model's default backend on the GPU; failures are
# recorded and the benchmarks still run, so one window on the machine tells all.
log "the test suite on CuPy: NNXP_BACKEND=cupy pytest -m 'not slow' tests"
NNXP_BACKEND=cupy timeout "${NNXP_SUITE_SECONDS:-240}" "$py" -m pytest -m "not slow" tests -q -p no:cacheprovider \
    --junitxml="$out/suite-cupy.xml" > "$out/suite-cupy.log" 2>&1 || {
    warn "the suite on CuPy failed or ran out of time (exit $?): $out/suite-cupy.log"
    status=1
}
tail -n 15 "$out/suite-cupy.log"

# One training iteration of the three networks at m = 2048 and 65,536 in float32 and
# float64: nnxp on CuPy and on torch CUDA, PyTorch CUDA eager, the matrix products alone,
# then nnxp on the CPU (last: when time runs out, the GPU's results are already saved).
log "benchmarks: python -m benchmarks.report --run (GPU implementations, then the CPU)"
timeout "${NNXP_BENCH_SECONDS:-240}" "$py" -m benchmarks.report --run --no-fit --rounds 3 --m 2048,65536 \
    --impl nnxp-cupy,torch-eager-cuda,nnxp-torch-cuda,matmul-cupy,matmul-torch-cuda,nnxp-numpy \
    --results "$out" > "$out/report.log" 2>&1 || {
    warn "the benchmark report failed or ran out of time (exit $?): $out/report.log"
    status=1
    "$py" -m benchmarks.report --from-json --results "$out" >> "$out/report.log" 2>&1 || true
}
tail -n 5 "$out/report.log"

log "done (status $status)"
echo "results in $out:"
find "$out" -type f | sort | sed 's/^/  /'
exit "$status"
