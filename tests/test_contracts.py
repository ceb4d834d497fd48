"""The import contracts bite: each rule of the house, broken on purpose in a temporary copy of the source
tree, makes ``lint-imports`` fail (and the untouched copy passes). Also: every module that holds routes,
outbox handlers, jobs or event subscribers is named into the layers contract, so none escapes it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # about 20 lint-imports runs in subprocesses (make test runs them)

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "yingji"
LINT = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the package and of the contracts (only), importable on its own."""
    base = tmp_path_factory.mktemp("contracts")
    shutil.copytree(SRC, base / "src" / "yingji", ignore=shutil.ignore_patterns("__pycache__", "static", "data"))
    lines = ["[tool.importlinter]"] + [f"{k} = {_toml_value(v)}" for k, v in CONFIG.items() if k != "contracts"]
    for contract in CONFIG["contracts"]:
        lines.append("\n[[tool.importlinter.contracts]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in contract.items()]
    (base / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return base


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT), "--no-cache", "--no-logo", str(tree / "pyproject.toml")],
        cwd=tree, env=env, capture_output=True, text=True, timeout=120,
    )


def _with_line(tree: Path, module: str, line: str):
    path = tree / "src" / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n" + line + "\n", encoding="utf-8")
    try:
        return _lint(tree)
    finally:
        path.write_text(original, encoding="utf-8")


def test_the_untouched_copy_keeps_every_contract(tree) -> None:
    r = _lint(tree)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout
    # It really checks the copy: the copy's package is the one analysed.
    probe = subprocess.run([sys.executable, "-c", "import yingji; print(yingji.__file__)"], capture_output=True,
                           text=True, env={**os.environ, "PYTHONPATH": str(tree / "src")}, cwd=tree)
    assert probe.stdout.strip().startswith(str(tree))


# (module in the copy, line added, contract that must break)
VIOLATIONS = [
    # The four the issue found passing.
    ("yingji/risk/service/common.py", "import fastapi", "no HTTP or templates"),
    ("yingji/risk/service/common.py", "from yingji.risk import hazard_pages", "inside a capability"),
    ("yingji/risk/service/common.py", "from yingji.registry import demo", "only through its service package"),
    ("yingji/risk/service/common.py", "from yingji.geo import routing", "only through its service package"),
    # A service, standards or events module with HTTP or templates.
    ("yingji/resources/service/stock.py", "import starlette.requests", "no HTTP or templates"),
    ("yingji/warnings/service/authoring.py", "import jinja2", "no HTTP or templates"),
    ("yingji/monitoring/standards.py", "from fastapi import APIRouter", "no HTTP or templates"),
    # Another capability's tables, private modules or submodules of its service package.
    ("yingji/warnings/service/authoring.py", "from yingji.monitoring.models import Alarm", "only through its service"),
    ("yingji/warnings/pages/signoff.py", "from yingji.monitoring.service import alarms", "only through its service"),
    ("yingji/resources/service/stock.py", "from yingji.risk import handlers", "only through its service"),
    # The upper shell, the app, the CLI root, the composition root.
    ("yingji/monitoring/pages/alarms.py", "import yingji.web.pages", "upper web shell"),
    ("yingji/monitoring/pages/sensors.py", "import yingji.app", "upper web shell"),
    ("yingji/risk/api/hazards.py", "import yingji.cli", "upper web shell"),
    ("yingji/channels/service.py", "import yingji.bootstrap", "upper web shell"),
    # The upper shell (dashboard, map, navigation) shows what was registered, never a capability by name;
    # neither may a capability reach up into it.
    ("yingji/web/pages.py", "from yingji.geo import service", "the upper web shell imports no capability"),
    ("yingji/web/nav.py", "from yingji.resources import shell", "the upper web shell imports no capability"),
    # ... nor through a module of the kit it uses (web.pages -> web.templating -> web.hardening).
    ("yingji/web/hardening.py", "from yingji.risk import service", "the upper web shell imports no capability"),
    ("yingji/risk/shell.py", "from yingji.web import nav", "capabilities do not import the upper web shell"),
    # Route, handler, job and subscriber modules in the layers.
    ("yingji/monitoring/service/alarms.py", "from yingji.monitoring import handlers", "inside a capability"),
    ("yingji/risk/service/hazards.py", "from yingji.risk import scheduled", "inside a capability"),
    ("yingji/warnings/service/authoring.py", "from yingji.warnings import subscribers", "inside a capability"),
    ("yingji/risk/service/common.py", "from yingji.risk import public_pages", "inside a capability"),
    ("yingji/warnings/models.py", "from yingji.warnings import service", "inside a capability"),
]


@pytest.mark.parametrize(("module", "line", "contract"), VIOLATIONS, ids=[f"{m}:{line}" for m, line, _ in VIOLATIONS])
def test_a_violation_breaks_its_contract(tree, module: str, line: str, contract: str) -> None:
    r = _with_line(tree, module, line)
    assert r.returncode != 0, f"{line!r} in {module} kept every contract:\n{r.stdout}"
    broken = r.stdout.split("Broken contracts", 1)[-1]  # the full names of the broken ones follow
    assert contract in broken, r.stdout


def test_what_a_capability_may_use_of_another_keeps_the_contracts(tree) -> None:
    r = _with_line(tree, "yingji/resources/service/stock.py",
                   "from yingji.monitoring import events, schemas, service  # noqa")
    assert r.returncode == 0, r.stdout


def _layer_names() -> set[str]:
    layers = next(c for c in CONFIG["contracts"] if c["type"] == "layers")["layers"]
    return {name for layer in layers for name in re.findall(r"\((\w+)\)", layer)}


MARKS = re.compile(r"APIRouter\(|@handler\(|@outbox\.handler\(|@scheduled\(|@subscribe\(")


def test_every_route_handler_job_and_subscriber_module_is_in_a_layer() -> None:
    import yingji

    names = _layer_names()
    outside = []
    for cap in yingji.CAPABILITIES:
        for path in (SRC / cap).rglob("*.py"):
            top = path.relative_to(SRC / cap).parts[0].removesuffix(".py")
            if MARKS.search(path.read_text(encoding="utf-8")) and top not in names:
                outside.append(str(path.relative_to(SRC)))
    assert outside == []
