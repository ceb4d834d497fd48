#!/usr/bin/env bash
# Mutation testing of the standards modules (mutmut 2): each module against its own pure tests only, in a
# scratch copy of the tree (mutmut edits the sources it mutates). "Pure" is measured, not declared: of the
# test files listed for a module, the tests that pass without the suite's conftest (no demo database, no
# app) on the unmutated code; the tests that need a database are left out, which is what makes a mutant
# cost about a second instead of a demo seed. Prints, per module, the counts and the surviving mutants,
# then one table; docs/testing.md records the run and explains the survivors.
#
# Usage: scripts/mutation.sh [-j JOBS] [module ...]     (default: every module below, one at a time)
# MUTATION_WORK=dir keeps the scratch trees; with MUTATION_REPORT_ONLY=1 as well, reports on them again;
# with MUTATION_RESUME=1, tries again on the current tests only the mutants that were not killed.
# A new standards module is added to TESTS with the test files that hold its worked examples.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-$root/.venv/bin/python}"
[ -x "$py" ] || py="$(command -v python3)"
py="$(cd "$(dirname "$py")" && pwd)/$(basename "$py")"  # absolute: each module's run works in its scratch tree
"$py" -c "import mutmut" 2>/dev/null || "$py" -m pip install --quiet "mutmut==2.5.1"  # in the test extras

declare -A TESTS=(
  [src/yingji/risk/standards.py]="tests/risk/test_standards.py"
  [src/yingji/risk/gb18218.py]="tests/risk/test_standards.py"
  [src/yingji/monitoring/standards.py]="tests/monitoring/test_rule_packs.py"
  [src/yingji/warnings/standards.py]="tests/warnings/test_cap.py"
  [src/yingji/resources/standards.py]="tests/resources/test_shelters.py"
  [src/yingji/registry/standards.py]="tests/registry/test_standards.py"
  [src/yingji/core/deadlines.py]="tests/core/test_legal_clock.py"
  [src/yingji/core/workdays.py]="tests/core/test_legal_clock.py tests/core/test_workdays.py"
  [src/yingji/incidents/standards.py]="tests/incidents/test_grading.py"
  [src/yingji/incidents/timeliness.py]="tests/incidents/test_timeliness.py"
  [src/yingji/incidents/disaster_reports.py]="tests/incidents/test_disaster_reports.py"
  [src/yingji/enforcement/draw.py]="tests/enforcement/test_draw.py"
  [src/yingji/enforcement/case_procedure.py]="tests/enforcement/test_case_procedure.py"
  [src/yingji/plans/standards.py]="tests/plans/test_standards.py"
  [src/yingji/plans/training.py]="tests/plans/test_training.py"
  [src/yingji/natural/standards.py]="tests/natural/test_standards.py tests/natural/test_patrols.py"
  [src/yingji/stats/indicators.py]="tests/stats/test_indicators.py"
)
jobs=1
if [ "${1:-}" = "-j" ]; then jobs="$2"; shift 2; fi
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then mapfile -t modules < <(printf '%s\n' "${!TESTS[@]}" | sort); fi
work="${MUTATION_WORK:-$(mktemp -d /tmp/yingji-mutation.XXXXXX)}"
[ -n "${MUTATION_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
# Plugins off and no conftest: a mutant run is one short pytest process.
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1
pytest_args=(-q -p no:cacheprovider --noconftest --no-header)

one_module() {
  local module="$1" tests dir start files=()
  tests="${TESTS[$module]:?no tests listed for $module}"
  dir="$work/$(basename "$(dirname "$module")")-$(basename "$module" .py)"
  start=$SECONDS
  if [ -n "${MUTATION_REPORT_ONLY:-}" ]; then  # report again on an earlier run kept in MUTATION_WORK
    cd "$dir"
    start=$((SECONDS - $(stat -c %Y run.log) + $(stat -c %Y pure.args)))
  else
    # MUTATION_RESUME=1 keeps mutmut's cache: only the mutants not yet killed are tried, on the current tests.
    if [ -n "${MUTATION_RESUME:-}" ]; then rm -rf "$dir/src" "$dir/tests"; else rm -rf "$dir"; fi
    mkdir -p "$dir"
    cp -r "$root/src" "$root/tests" "$root/pyproject.toml" "$dir/"
    cd "$dir"
    export PYTHONPATH="$dir/src"
    for f in $tests; do [ -e "$f" ] && files+=("$f"); done
    # The pure tests: those passing without conftest on the unmutated module, one node id a line (@file).
    "$py" -m pytest "${pytest_args[@]}" -rA "${files[@]}" 2>/dev/null | sed -n 's/^PASSED //p' > pure.args || true
    if [ ! -s pure.args ]; then echo "no pure tests" > summary; return; fi
    # mutmut 2 counts only exit status 1 as a kill; a mutant that breaks the import makes pytest answer 2 or 4
    # ("found no collectors"), which must count as killed too.
    printf '#!/bin/sh\n"%s" -m pytest -x %s "@%s" >/dev/null 2>&1 || exit 1\n' "$py" "${pytest_args[*]}" "$dir/pure.args" > runner
    # mutmut retries every mutant not marked killed; "suspicious" ones were killed (slowly): keep them so.
    [ -z "${MUTATION_RESUME:-}" ] || [ ! -f .mutmut-cache ] || "$py" -c "import sqlite3; c = sqlite3.connect('.mutmut-cache'); \
c.execute(\"update mutant set status = 'ok_killed' where status = 'ok_suspicious'\"); c.commit()"
    "$py" -m mutmut run --paths-to-mutate "$module" --tests-dir tests --simple-output --no-progress \
      --runner "sh $dir/runner" > run.log 2>&1 || true
  fi
  "$py" - "$module" "$(wc -l < pure.args)" "$((SECONDS - start))" "$py" <<'EOF'
import re, sqlite3, subprocess, sys
module, n_tests, secs, py = sys.argv[1:]
db = sqlite3.connect(".mutmut-cache")
c = dict(db.execute("select status, count(*) from mutant group by status"))


def diff(i):
    return subprocess.run([py, "-m", "mutmut", "show", str(i)], capture_output=True, text=True).stdout


def annotation_only(d):
    # `int | None` made `int & None` in an annotation: never evaluated (the modules use
    # `from __future__ import annotations`), so equivalent by construction; listed on one line each.
    minus = [ln[1:] for ln in d.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    plus = [ln[1:] for ln in d.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return (len(minus) == len(plus) == 1 and plus[0].replace(" & ", " | ") == minus[0]
            and bool(re.match(r"\s*(def |[A-Za-z_][\w.]*\s*:\s)", minus[0])))


annotations = 0
with open("survivors", "w") as out:
    out.write(f"== {module} ({n_tests} pure tests)\n")
    for status in ("bad_survived", "bad_timeout"):
        for (i,) in db.execute("select id from mutant where status = ? order by id", (status,)).fetchall():
            d = diff(i)
            if status == "bad_survived" and annotation_only(d):
                annotations += 1
                line = next(ln for ln in d.splitlines() if ln.startswith("+") and not ln.startswith("+++"))
                out.write(f"(annotation only) {line[1:].strip()}\n")
            else:
                out.write(("(timeout)\n" if status == "bad_timeout" else "") + d)
# "suspicious" is mutmut's word for killed, but slowly: it counts as killed.
with open("summary", "w") as out:
    out.write(f"| `{module.removeprefix('src/yingji/')}` | {n_tests} | {sum(c.values())} "
              f"| {c.get('ok_killed', 0) + c.get('ok_suspicious', 0)} | {c.get('bad_survived', 0)} | {annotations} "
              f"| {c.get('bad_timeout', 0)} | {c.get('untested', 0) + c.get('skipped', 0)} | {secs} s |\n")
EOF
}

running=0
for module in "${modules[@]}"; do
  ( one_module "$module" ) &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
for module in "${modules[@]}"; do
  d="$work/$(basename "$(dirname "$module")")-$(basename "$module" .py)"
  [ -f "$d/survivors" ] && cat "$d/survivors"
done
echo
echo "| module | pure tests | mutants | killed | survived | of which annotations | timeout | untested | time |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for module in "${modules[@]}"; do
  d="$work/$(basename "$(dirname "$module")")-$(basename "$module" .py)"
  if [ -f "$d/summary" ] && grep -q '^|' "$d/summary"; then cat "$d/summary"
  else echo "| \`${module#src/yingji/}\` | $(cat "$d/summary" 2>/dev/null || echo 'failed') | | | | | | | |"; fi
done
