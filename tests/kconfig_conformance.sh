#!/usr/bin/env bash
# Runs the shared Kconfig conformance cases (verified against the kernel's own
# scripts/kconfig/conf of Linux 6.12 and 6.1) against `kmeta conf`, then
# kmeta's own extra cases in tests/kconfig_cases/ (expected outputs recorded
# with the same real conf binaries, run by the same runner).
#
# Environment: KMETA = path of the kmeta binary, KMETA_SHARED = the shared dir
# holding conformance/kconfig/. Exit 77 (skip) only when the cases are absent.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
shared="${KMETA_SHARED:-}"
runner="$shared/conformance/kconfig/run_cases.sh"
if [ -z "$shared" ] || [ ! -f "$runner" ]; then
  echo "SKIP: conformance cases not found (KMETA_SHARED=${shared:-unset})"
  exit 77
fi
if [ -z "${KMETA:-}" ] || [ ! -x "$KMETA" ]; then
  echo "kmeta binary not found (KMETA=${KMETA:-unset})" >&2
  exit 1
fi
# The cases run in scratch directories: make the path absolute.
KMETA="$(cd "$(dirname "$KMETA")" && pwd)/$(basename "$KMETA")"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/kmeta-conf.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
status=0
for ver in 6.12 6.1; do
  echo "== Linux $ver"
  # run_cases.sh runs with a clean environment: the wrapper carries the dialect.
  wrapper="$tmp/conf-$ver"
  printf '#!/bin/sh\nKMETA_KCONFIG_DIALECT=%s; KMETA_CONF_CACHE=0; export KMETA_KCONFIG_DIALECT KMETA_CONF_CACHE\nexec "%s" conf "$@"\n' "$ver" "$KMETA" >"$wrapper"
  chmod +x "$wrapper"
  out="$(bash "$runner" -q -V "$ver" "$wrapper" 2>&1)"
  rc=$?
  printf '%s\n' "$out" | grep -v '^ ' | grep -E '^(FAIL|SKIP)' || true
  summary="$(printf '%s\n' "$out" | tail -n 1)"
  echo "$ver: $summary"
  [ $rc -eq 0 ] || status=1
  out="$(bash "$runner" -q -V "$ver" "$wrapper" "$here"/kconfig_cases/*/ 2>&1)"
  rc=$?
  printf '%s\n' "$out" | grep -v '^ ' | grep -E '^(FAIL|SKIP)' || true
  echo "$ver (tests/kconfig_cases): $(printf '%s\n' "$out" | tail -n 1)"
  [ $rc -eq 0 ] || status=1
done
exit $status
