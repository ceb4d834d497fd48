"""A page's title is plain words: the browser shows <title> as text (RCDATA), so markup in a template's
``title`` block would appear in the tab and the history as raw HTML (the training page once carried its
three forms there). Read from the templates, so a new page is checked the day it is written."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "yingji"
TITLE = re.compile(r"\{%-?\s*block title\s*-?%\}(.*?)\{%-?\s*endblock", re.S)


def test_no_title_block_holds_markup() -> None:
    found, bad = 0, []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for title in TITLE.findall(path.read_text()):
            found += 1
            if "<" in title or "\n" in title.strip():
                bad.append(f"{path.relative_to(TEMPLATES)}: {title.strip()[:80]}")
    assert found > 50, found  # the pages' templates were read
    assert bad == [], bad


def test_the_training_page_title_is_its_name(page_client) -> None:
    html = page_client("duty").get("/plans/training").text
    assert re.search(r"<title>\s*培训与持证 · 应急</title>", html), html[:400]
