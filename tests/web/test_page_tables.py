"""Long page tables are paged with the one shared pager (filters kept across pages), and no page shows
English words or internal codes where Chinese names belong."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

from sqlalchemy import func, select

from yingji.registry.models import Enterprise


def _rows(html: str, table_id: str) -> int:
    body = html.split(f'id="{table_id}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr")


def test_risk_enterprise_table_is_paged_and_keeps_filters(db, page_client) -> None:
    total = db.scalar(select(func.count()).select_from(Enterprise))
    assert total > 50  # the demo district has some 300 enterprises
    c = page_client("duty")
    first = c.get("/risk").text
    assert _rows(first, "enterprise-risks") == 50
    assert f"第 1 / {-(-total // 50)} 页（共 {total} 家）" in first
    last_page = -(-total // 50)
    last = c.get(f"/risk?page={last_page}").text
    assert _rows(last, "enterprise-risks") == total - 50 * (last_page - 1)
    filtered = c.get("/risk?industry=hazardous_chemicals&page=1").text
    nxt = re.search(r'<a rel="next" href="([^"]+)"', filtered)
    if nxt:  # more than one page of chemical enterprises: the filter stays on the next page
        assert parse_qs(urlparse(nxt.group(1).replace("&amp;", "&")).query)["industry"] == ["hazardous_chemicals"]


def test_village_coverage_and_resource_lists_are_paged(page_client) -> None:
    c = page_client("duty")
    coverage = c.get("/resources/coverage").text
    assert _rows(coverage, "coverage") == 50 and 'rel="next"' in coverage
    assert 'rel="prev"' in c.get("/resources/coverage?page=2").text


def test_departments_show_names_not_codes(page_client) -> None:
    html = page_client("duty").get("/registry/departments").text
    assert "柳江区应急管理局" in html and "<td>yjj</td>" not in html


class _Text(HTMLParser):
    """The words a person reads on a page: text and placeholders, not scripts, styles or <code>."""

    def __init__(self) -> None:
        super().__init__()
        self.skip, self.out = 0, []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style", "code"):
            self.skip += 1
        self.out += [v for k, v in attrs if k in ("placeholder", "title", "aria-label") and v]

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "code"):
            self.skip -= 1

    def handle_data(self, data) -> None:
        if not self.skip:
            self.out.append(data)


# Names of standards, formats and products, read as such in Chinese texts too.
PROPER_NAMES = {"CAP", "GNSS", "LEL", "LPG", "CAS", "API", "Excel", "GeoJSON", "OpenStreetMap", "Atom", "MPa", "ppm"}
PROPER_NAMES |= {"LEC", "WGS", "XML", "JPEG", "PNG", "WebP", "DCS", "SIS"}  # method, datum, formats, systems
STAFF_PAGES = [
    "/", "/monitoring", "/monitoring/sensors", "/monitoring/rules", "/warnings", "/warnings/new", "/risk",
    "/risk/hazards", "/risk/points", "/risk/major-hazards", "/risk/import", "/resources", "/resources/teams",
    "/resources/experts", "/resources/warehouses", "/resources/shelters", "/resources/coverage",
    "/resources/nearest", "/registry/people", "/registry/departments", "/geo/regions", "/channels", "/map",
    "/public/warnings", "/public/subscribe", "/settings/calendar",
]  # fmt: skip


def _detail_pages(db) -> list[str]:
    from yingji.monitoring.models import Alarm, Sensor
    from yingji.registry.models import Enterprise
    from yingji.resources.models import Team, Warehouse
    from yingji.warnings.models import WarningMessage

    first = {m: db.scalar(select(m.id).order_by(m.id)) for m in (Alarm, Sensor, Enterprise, Team, Warehouse)}
    return [
        f"/monitoring/alarms/{first[Alarm]}",
        f"/monitoring/sensors/{first[Sensor]}",
        f"/risk/enterprises/{first[Enterprise]}",
        f"/warnings/{db.scalar(select(WarningMessage.id).order_by(WarningMessage.id))}",
        f"/resources/teams/{first[Team]}",
        f"/resources/warehouses/{first[Warehouse]}",
        f"/warnings/new?alarm={first[Alarm]}",
        "/registry/enterprises/new",
        "/risk/public/report",
        "/incidents",
        "/incidents/new",
        "/duty",
    ]


def test_no_english_words_on_pages(db, page_client) -> None:
    c = page_client("admin")
    found = {}
    for path in STAFF_PAGES + _detail_pages(db):
        r = c.get(path)
        assert r.status_code == 200, path
        parser = _Text()
        parser.feed(r.text)
        words = set(re.findall(r"[A-Za-z][A-Za-z_]{2,}", " ".join(parser.out))) - PROPER_NAMES
        if words:
            found[path] = sorted(words)
    assert found == {}


def test_channel_page_names_no_environment_variables(page_client) -> None:
    html = page_client("duty").get("/channels").text
    assert "YINGJI_" not in html and "docs/warnings.md" in html
