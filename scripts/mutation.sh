#!/usr/bin/env bash
# Mutation testing of the standards modules (mutmut 2): each module against the tests that cover it, in a
# scratch copy of the tree (mutmut edits the sources it mutates). Prints each module's counts and the
# surviving mutants; docs/testing.md explains the survivors. Usage: scripts/mutation.sh [module ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="$root/.venv/bin/python"
"$py" -c "import mutmut" 2>/dev/null || "$root/.venv/bin/pip" install --quiet "mutmut==2.5.1"

declare -A TESTS=(
  [src/yingji/risk/standards.py]="tests/risk/test_standards.py"
  [src/yingji/risk/gb18218.py]="tests/risk/test_standards.py"
  [src/yingji/monitoring/standards.py]="tests/monitoring/test_rules.py tests/monitoring/test_rule_packs_api.py"
  [src/yingji/warnings/standards.py]="tests/warnings/test_cap.py tests/warnings/test_ingest.py"
  [src/yingji/resources/standards.py]="tests/resources/test_shelters.py"
  [src/yingji/registry/standards.py]="tests/registry/test_standards.py"
)
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=("${!TESTS[@]}")
work="$(mktemp -d /tmp/yingji-mutation.XXXXXX)"
trap 'rm -rf "$work"' EXIT
for module in "${modules[@]}"; do
  tests="${TESTS[$module]:?no tests listed for $module}"
  dir="$work/$(basename "$(dirname "$module")")-$(basename "$module" .py)"
  mkdir -p "$dir"
  cp -r "$root/src" "$root/tests" "$root/migrations" "$root/pyproject.toml" "$root/alembic.ini" "$dir/"
  echo "== $module (tests: $tests)"
  (
    cd "$dir"
    export PYTHONPATH="$dir/src"
    "$py" -m mutmut run --paths-to-mutate "$module" --tests-dir tests \
      --runner "$py -m pytest -x -q -p no:cacheprovider -p no:randomly --no-header $tests" >/dev/null 2>&1 || true
    "$py" -m mutmut results || true
    for id in $("$py" -m mutmut result-ids survived 2>/dev/null); do "$py" -m mutmut show "$id"; done
  )
done
