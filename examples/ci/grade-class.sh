#!/usr/bin/env bash
# Grade every submission folder of a class with `codecage test`, writing the reports a CI job
# publishes. The GitHub Actions and GitLab CI templates beside this script both run it.
#
#   grade-class.sh CLASS_DIR OUT_DIR [codecage test options...]
#   grade-class.sh submissions/ reports/ --cases cases/ -t 2s
#   grade-class.sh submissions/ reports/ --problem problems/hello
#
# CLASS_DIR holds one folder (or file) per student; each is one submission (`--each`). OUT_DIR
# gets report.html (the page to open), junit.xml (what GitLab and most CI systems read),
# summary.md and result.json. On GitHub Actions codecage also writes the job summary and
# annotations itself (GITHUB_ACTIONS=true).
#
# Exit status: 0 when grading ran, whatever the students' verdicts (set STRICT=1 to fail when a
# submission is not accepted with full marks, as a problem setter's CI wants); codecage's own
# status when it could not grade (69 no container engine, 125 bad cases or an internal error).
# CODECAGE names the binary (default: codecage on PATH).
set -euo pipefail

if [ $# -lt 2 ]; then
    sed -n '2,9p' "$0" >&2
    exit 2
fi
class=${1%/}
out=$2
shift 2
codecage=${CODECAGE:-codecage}

shopt -s nullglob
submissions=("$class"/*)
if [ ${#submissions[@]} -eq 0 ]; then
    echo "grade-class.sh: no submissions in $class" >&2
    exit 2
fi
mkdir -p "$out"

status=0
"$codecage" test --each "${submissions[@]}" "$@" \
    --html "$out/report.html" --junit "$out/junit.xml" \
    --markdown "$out/summary.md" --json "$out/result.json" || status=$?

echo "grade-class.sh: reports in $out/ (report.html, junit.xml, summary.md, result.json)"
if [ "$status" -eq 1 ] && [ "${STRICT:-0}" != 1 ]; then
    # Some submission failed: that is the grade, not a failure of the job.
    exit 0
fi
exit "$status"
