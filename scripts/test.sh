#!/usr/bin/env bash
# test.sh: README command 2, and what CI runs (.ci/run). Installs what is
# missing, then runs the whole suite twice:
#   1. build/       strict warnings as errors (-DKOPA_WERROR=ON), all ctest tests
#   2. build-asan/  the same with AddressSanitizer and UBSan (-DKOPA_SANITIZE=ON)
# Tests start their own redis-server (and kopa) on free loopback ports, so
# ctest runs them in parallel. Exits non-zero if any build or test fails.
#
#   bash scripts/test.sh
#   KOPA_TEST_JOBS=4 bash scripts/test.sh        # ctest -j (default: 2)
#   KOPA_TEST_STAGES=plain bash scripts/test.sh  # only one stage (plain|asan)
#   KOPA_CTEST_ARGS="-R integration" bash scripts/test.sh
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${KOPA_TEST_JOBS:-2}
STAGES=${KOPA_TEST_STAGES:-plain asan}
read -r -a CTEST_EXTRA <<<"${KOPA_CTEST_ARGS:-}"
cd "$ROOT"
start=$(date +%s)

say() { printf '\n=== %s\n' "$*"; }

if [ "${KOPA_SKIP_DEPS:-0}" != 1 ]; then
    say "dependencies"
    bash "$ROOT/scripts/deps.sh" || { echo "test.sh: installing dependencies failed"; exit 1; }
fi

summary=()
total_pass=0
total_fail=0
failed=0

# run_stage NAME BUILD_DIR CMAKE_ARGS...: configure, build, ctest.
run_stage() {
    local name=$1 dir=$2
    shift 2
    local log="$dir/ctest.log" t0 rc out_of passed nfail
    t0=$(date +%s)
    say "$name: configure and build in $dir"
    if ! cmake -S "$ROOT" -B "$dir" "$@"; then
        summary+=("$name: configure FAILED")
        failed=1
        return
    fi
    mkdir -p "$dir"
    cmake --build "$dir" -j"$JOBS" 2>&1 | tee "$dir/build.log"
    if [ "${PIPESTATUS[0]}" -ne 0 ]; then
        summary+=("$name: build FAILED (first errors below; full log in $dir/build.log)")
        while IFS= read -r line; do summary+=("    $line"); done < <(grep -E 'error:|Error [0-9]' "$dir/build.log" | head -8)
        failed=1
        return
    fi
    say "$name: ctest -j$JOBS"
    ctest --test-dir "$dir" --output-on-failure --no-tests=error -j"$JOBS" "${CTEST_EXTRA[@]}" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    # "NN% tests passed, F tests failed out of T"
    out_of=$(sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\1 \2/p' "$log" | tail -1)
    if [ -n "$out_of" ]; then
        nfail=${out_of% *}
        passed=$((${out_of#* } - nfail))
    else
        nfail=0
        passed=0
        [ "$rc" -ne 0 ] && nfail=1
    fi
    total_pass=$((total_pass + passed))
    total_fail=$((total_fail + nfail))
    if [ "$rc" -ne 0 ]; then
        failed=1
        summary+=("$name: $passed passed, $nfail failed ($(($(date +%s) - t0)) s)")
        while IFS= read -r line; do summary+=("    $line"); done < <(sed -n '/The following tests FAILED:/,$p' "$log" | grep -E '^[[:space:]]+[0-9]+ - ')
    else
        summary+=("$name: $passed passed, 0 failed ($(($(date +%s) - t0)) s)")
    fi
}

for stage in $STAGES; do
    case "$stage" in
    plain)
        run_stage "plain (-Werror)" "$ROOT/build" -DKOPA_WERROR=ON -DKOPA_SANITIZE=OFF
        ;;
    asan)
        export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
        export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
        run_stage "sanitizers (ASan+UBSan, -Werror)" "$ROOT/build-asan" -DKOPA_SANITIZE=ON -DKOPA_WERROR=ON
        unset ASAN_OPTIONS UBSAN_OPTIONS
        ;;
    *)
        echo "test.sh: unknown stage $stage (plain, asan)"
        exit 2
        ;;
    esac
done

say "summary ($(($(date +%s) - start)) s)"
for line in "${summary[@]}"; do echo "$line"; done
echo "total: $total_pass passed, $total_fail failed"
exit "$failed"
