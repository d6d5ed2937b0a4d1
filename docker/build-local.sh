#!/usr/bin/env bash
# Build and run nnxp's two images for real, on a machine with no Docker daemon and no Docker Hub:
# Debian's podman and buildah, and a local base image made with mmdebstrap from Debian's mirror.
# Each Dockerfile is built as it is, but for its FROM lines, swapped for that local base (the files
# in docker/ keep their real bases: python:3.12.11-slim-bookworm and nvidia/cuda:12.8.1-runtime).
# Then each image runs: `nnxp info`, the demo (its test accuracy checked), `nnxp train` into a
# mounted folder as the image's user (the checkpoint loaded on the host), the CUDA image's fallback
# to NumPy without a GPU, and the hygiene checks (non-root user, no compilers or pip caches, size).
#
#   sudo bash docker/build-local.sh        # as root; exits non-zero when a build or a check fails
#
# The docker commands it stands for (docker/README.md gives the same) are printed as `$ docker ...`.
# Environment: NNXP_IMAGE_STORE (default /tmp/nnxp-images) holds podman's storage and is removed at
# the end unless NNXP_KEEP_IMAGES=1; PYTHON (default .venv/bin/python) is the host Python with nnxp.
set -euo pipefail
cd "$(dirname "$0")/.."

STORE=${NNXP_IMAGE_STORE:-/tmp/nnxp-images}
PYTHON=${PYTHON:-.venv/bin/python}
SUITE=bookworm
BASE=localhost/nnxp-base:$SUITE
start=$SECONDS

say() { printf '%s\n' "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }

tools() {
    command -v podman >/dev/null && command -v mmdebstrap >/dev/null && command -v runc >/dev/null && return
    say "installing podman, buildah, mmdebstrap and runc from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah mmdebstrap runc \
        >/dev/null
}

podman_() { podman --root "$STORE/root" --runroot "$STORE/run" --storage-driver overlay "$@"; }

# No CAP_SYS_RESOURCE here: a container may lower its limits, never raise them over what podman holds,
# so they are set to at most the host's hard limit and podman's own (20000 files, 32768 processes).
at_most() { local v; v=$(ulimit -H "$1"); [ "$v" = unlimited ] || [ "$v" -gt "$2" ] && v=$2; echo "$v:$v"; }
LIMITS=(--ulimit "nofile=$(at_most -n 20000)" --ulimit "nproc=$(at_most -u 32768)")

cleanup() {
    [ "${NNXP_KEEP_IMAGES:-0}" = 1 ] && return
    podman_ system reset --force >/dev/null 2>&1 || true
    rm -rf "$STORE"
}

base() {
    # Python: bookworm's 3.11, the nearest Debian has to the Dockerfiles' 3.12 (python:3.12-slim-bookworm
    # is bookworm with its own 3.12; Ubuntu 24.04, the CUDA base, has 3.12; no Debian release has 3.12).
    say "local base $BASE: Debian $SUITE (Python 3.11; the Dockerfiles' bases have 3.12, which Debian lacks)"
    mmdebstrap --quiet --variant=minbase --include=python3,python3-venv,python-is-python3,passwd,ca-certificates \
        "$SUITE" "$STORE/base.tar"
    podman_ import --quiet "$STORE/base.tar" "$BASE" >/dev/null
    rm -f "$STORE/base.tar"
}

# The docker command a step stands for, printed; those users type (no --entrypoint) are kept, to be
# found in docker/README.md at the end. A mounted folder shows as "$PWD/runs".
shown() {
    local line
    line=$(say "docker $*" | sed -E "s|$STORE/runs-[a-z0-9]+|\"\$PWD/runs\"|")
    say "\$ $line" >&2
    case "$line" in *--entrypoint*) ;; *) say "$line" >>"$STORE/commands" ;; esac
}

# docker build -f FILE -t TAG .  (FROM lines swapped for the local base)
docker_build() {
    local file=$3 tag=$5
    shown build -f "$file" -t "$tag" .
    sed -E "s|^FROM [^ ]+|FROM $BASE|" "$file" >"$STORE/$(basename "$file")"
    podman_ build --quiet --isolation chroot "${LIMITS[@]}" \
        -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro \
        -f "$STORE/$(basename "$file")" -t "$tag" . >/dev/null || fail "building $file"
}

# docker run --rm [OPTIONS] IMAGE [ARGS]  (runc: crun refuses this machine's hybrid cgroups)
docker_run() {
    shift 2
    shown run --rm "$@"
    podman_ run --runtime runc --rm "${LIMITS[@]}" "$@"
}

check_image() {
    local tag=$1 name=$2 out lines accuracy size
    docker_run run --rm "$tag" info | tee "$STORE/info-$name.txt"
    grep -q "^auto backend: numpy" "$STORE/info-$name.txt" || fail "$tag: nnxp info does not fall back to NumPy"
    grep -Eq "^  cupy +not usable: .+" "$STORE/info-$name.txt" || fail "$tag: nnxp info does not say why CuPy is not used"

    lines=$(docker_run run --rm "$tag") || fail "$tag: the demo failed"
    say "$lines" | tail -1
    accuracy=$(say "$lines" | tail -1 | sed -nE 's/.*test accuracy ([0-9.]+)%.*/\1/p')
    awk -v a="${accuracy:-0}" 'BEGIN { exit !(a >= 85) }' || fail "$tag: demo test accuracy ${accuracy:-none}% < 85%"

    out="$STORE/runs-$name"
    mkdir -p "$out" && chown 10001:10001 "$out"
    docker_run run --rm -v "$out:/home/nnxp/runs" "$tag" train --dataset moons --iterations 300 --out runs/moons \
        || fail "$tag: nnxp train into a mounted folder"
    [ "$(stat -c %u "$out/moons/model.npz")" = 10001 ] || fail "$tag: the checkpoint is not the image user's"
    "$PYTHON" -c "import sys, nnxp; m = nnxp.load(sys.argv[1]); assert m.iterations_done_ == 300, m; \
print('checkpoint loads on the host:', m)" "$out/moons/model.npz" || fail "$tag: the checkpoint does not load"

    [ "$(docker_run run --rm --entrypoint id "$tag" -u)" = 10001 ] || fail "$tag: does not run as user 10001"
    docker_run run --rm --user 0 --entrypoint sh "$tag" -c \
        '! command -v gcc && ! command -v cc && ! command -v g++ && test ! -e /root/.cache/pip && test ! -e /src' \
        >/dev/null || fail "$tag: holds a compiler, a pip cache or the build's sources"
    size=$(podman_ image inspect --format '{{.Size}}' "$tag")
    say "$tag: runs as 10001, no compiler, no pip cache, $((size / 1000000)) MB"
}

if ! tools; then
    say "skipped: podman, mmdebstrap or runc cannot be installed here"
    exit 0
fi
trap cleanup EXIT
rm -rf "$STORE" && mkdir -p "$STORE"
base
docker_build build -f docker/Dockerfile.cpu -t nnxp:cpu
check_image nnxp:cpu cpu
docker_build build -f docker/Dockerfile -t nnxp:cuda12
check_image nnxp:cuda12 cuda12
while read -r line; do
    grep -qxF -- "$line" docker/README.md || fail "docker/README.md lacks the command the script ran: $line"
done <"$STORE/commands"
say "docker/README.md gives the $(wc -l <"$STORE/commands") build and run commands the script ran"
say "both images built and checked in $((SECONDS - start)) s"
