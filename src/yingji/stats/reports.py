"""Monthly and yearly statistical reports: 安全生产形势分析 and 自然灾害情况, as .docx and .xlsx with charts.

The figures are read through the incidents service (the incidents the reader may read, and the disaster
reports filed for them); drills never count, merged duplicates neither. A work-safety accident is an
incident of the 事故灾难 class graded by the accident scheme (国务院令第493号), its 行业 the incident's kind;
a natural disaster an incident of the 自然灾害 class, its people affected (受灾人次) and direct loss from its
latest disaster report (the district line, or the sum of the township lines), else the incident's own
loss. Months and days are Beijing time. The report is a list of tables, each with the chart drawn from it:
a native bar chart in the .xlsx (openpyxl), a PNG drawn with Pillow in the .docx.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from yingji.core import documents, excel
from yingji.core.actor import Actor
from yingji.core.clock import LOCAL_TZ
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.incidents import service as incidents_service

ISSUER = "应急管理局"
DISTRICT_AREA = "district"  # the district line of a disaster report (incidents.disaster_reports.DISTRICT)
KINDS = {"safety": "安全生产形势分析", "disaster": "自然灾害情况"}


@dataclass(frozen=True)
class Record:
    """One incident as the reports count it."""

    id: int
    incident_class: str
    kind: str
    kind_label: str
    occurred: datetime  # Beijing time
    township: str  # name, "（未定位）" when the incident has no township
    deaths: int
    missing: int
    loss_yuan: Decimal
    affected: int
    major: bool  # 重大 or 特别重大 (I, II)

    @property
    def work_safety(self) -> bool:
        return self.incident_class == "accident"

    @property
    def disaster(self) -> bool:
        return self.incident_class == "natural_disaster"


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Any]]
    chart_series: list[int] = field(default_factory=list)  # the columns drawn (after the first, the category)


@dataclass
class Report:
    kind: str
    year: int
    month: int | None
    tables: list[Table]
    summary: list[str]

    @property
    def title(self) -> str:
        period = f"{self.year}年{self.month}月" if self.month else f"{self.year}年"
        return f"{period}{KINDS[self.kind]}"

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.year}" + (f"-{self.month:02d}" if self.month else "")


# --- reading ---------------------------------------------------------------------------------------------


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)


def _township_names(db: Session) -> list[tuple[str, str]]:
    return [(t.path, t.name) for t in geo_service.region_infos(db=db, level="township")]


def _township(paths: list[tuple[str, str]], region_path: str) -> str:
    for path, name in paths:
        if region_path == path or region_path.startswith(path.rstrip("/") + "/"):
            return name
    return "（未定位）"


def _disaster_figures(db: Session, actor: Actor, incident_id: int) -> tuple[int | None, Decimal | None]:
    """受灾人次 and direct loss (元) of the latest disaster report of an incident, None when none was filed."""
    filed = incidents_service.list_disaster_reports(db=db, actor=actor, incident_id=incident_id)
    if not filed:
        return None, None
    figures = filed[-1].figures
    lines = [figures[DISTRICT_AREA]] if DISTRICT_AREA in figures else list(figures.values())

    def total(key: str) -> Decimal | None:
        values = [Decimal(str(v[key])) for v in lines if v.get(key) not in (None, "")]
        return sum(values, Decimal(0)) if values else None

    affected, loss_10k = total("affected_person_times"), total("direct_loss_10k_yuan")
    return (int(affected) if affected is not None else None), (loss_10k * 10_000 if loss_10k is not None else None)


def records(db: Session, actor: Actor, start: date, end: date) -> list[Record]:
    """The incidents (no drills, no merged duplicates) that occurred from ``start`` up to, not including,
    ``end`` (Beijing days), that the actor may read."""
    kind_labels = {k.code: k.label for k in incidents_service.kinds()}
    townships = _township_names(db)
    since, until = _local_start(start), _local_start(end)
    out: list[Record] = []
    page = 1
    while True:
        rows, total = incidents_service.list_incidents(db=db, actor=actor, page=PageParams(page=page, page_size=500),
                                                       drill=False, since=since)
        for i in rows:
            if i.status == "merged" or i.drill or i.occurred_at.astimezone(UTC) >= until:
                continue
            if i.incident_class not in ("accident", "natural_disaster"):
                continue
            if i.incident_class == "accident" and i.scheme != "accident":
                continue  # environmental events and the like are not work-safety accidents
            affected, loss = (None, None)
            if i.incident_class == "natural_disaster":
                affected, loss = _disaster_figures(db, actor, i.id)
            out.append(Record(i.id, i.incident_class, i.kind, kind_labels.get(i.kind, i.kind),
                              i.occurred_at.astimezone(LOCAL_TZ), _township(townships, i.region_path), i.deaths,
                              i.missing, loss if loss is not None else Decimal(i.direct_loss_yuan or 0),
                              affected or 0, i.grade in ("I", "II")))
        if page * 500 >= total:
            return out
        page += 1


# --- the reports -----------------------------------------------------------------------------------------


def _period(year: int, month: int | None) -> tuple[date, date]:
    if month:
        return date(year, month, 1), date(year + (month == 12), month % 12 + 1, 1)
    return date(year, 1, 1), date(year + 1, 1, 1)


def _in(rs: list[Record], year: int, month: int | None) -> list[Record]:
    return [r for r in rs if r.occurred.year == year and (month is None or r.occurred.month == month)]


def _change(now: int | Decimal, before: int | Decimal) -> str:
    if not before:
        return "—" if not now else "新增"
    pct = (Decimal(now) - Decimal(before)) / Decimal(before) * 100
    return f"{pct:+.1f}%"


def _wan(yuan: Decimal) -> Decimal:
    return (yuan / 10_000).quantize(Decimal("0.01"))


def safety_report(db: Session, actor: Actor, year: int, month: int | None = None) -> Report:
    """安全生产形势分析 of a year (by month) or a month (and the year to its end), against the year before."""
    rs = [r for r in records(db, actor, date(year - 1, 1, 1), date(year + 1, 1, 1)) if r.work_safety]
    last_month = month or 12
    now = [r for r in _in(rs, year, None) if r.occurred.month <= last_month]
    before = [r for r in _in(rs, year - 1, None) if r.occurred.month <= last_month]
    by_month = Table("分月事故起数和死亡人数", ["月份", "事故起数", "死亡人数", "上年同期起数", "上年同期死亡"], [],
                     [1, 2])
    for m in range(1, last_month + 1):
        a, b = _in(rs, year, m), _in(rs, year - 1, m)
        by_month.rows.append([f"{m}月", len(a), sum(r.deaths for r in a), len(b), sum(r.deaths for r in b)])
    focus = _in(rs, year, month) if month else now
    focus_before = _in(rs, year - 1, month) if month else before

    def grouped(title: str, key: str) -> Table:
        names = sorted({getattr(r, key) for r in focus + focus_before})
        t = Table(title, ["镇（街道）" if key == "township" else "行业", "事故起数", "死亡人数", "上年同期起数",
                          "上年同期死亡", "死亡人数同比"], [], [1, 2])
        for n in names:
            a = [r for r in focus if getattr(r, key) == n]
            b = [r for r in focus_before if getattr(r, key) == n]
            da, db_ = sum(r.deaths for r in a), sum(r.deaths for r in b)
            t.rows.append([n, len(a), da, len(b), db_, _change(da, db_)])
        return t

    scope = f"{month}月" if month else "全年"
    by_kind = grouped(f"{scope}分行业事故情况", "kind_label")
    by_township = grouped(f"{scope}分镇（街道）事故情况", "township")
    deaths_now, deaths_before = sum(r.deaths for r in now), sum(r.deaths for r in before)
    totals = Table("累计与同比", ["项目", f"{year}年1—{last_month}月", f"{year - 1}年同期", "同比"], [
        ["事故起数", len(now), len(before), _change(len(now), len(before))],
        ["死亡人数", deaths_now, deaths_before, _change(deaths_now, deaths_before)],
        ["重大及以上事故起数", sum(r.major for r in now), sum(r.major for r in before),
         _change(sum(r.major for r in now), sum(r.major for r in before))],
    ], [1, 2])
    summary = [f"{year}年1—{last_month}月全区发生生产安全事故{len(now)}起、死亡{deaths_now}人，"
               f"上年同期{len(before)}起、{deaths_before}人（死亡人数同比{_change(deaths_now, deaths_before)}）。",
               "统计不含演练记录和已合并的重复接报。"]
    return Report("safety", year, month, [totals, by_month, by_kind, by_township], summary)


def disaster_report(db: Session, actor: Actor, year: int, month: int | None = None) -> Report:
    """自然灾害情况 of a year (by month) or a month: disasters, people affected, deaths and missing, direct
    loss, by month and by township, against the year before."""
    rs = [r for r in records(db, actor, date(year - 1, 1, 1), date(year + 1, 1, 1)) if r.disaster]
    last_month = month or 12
    by_month = Table("分月灾情", ["月份", "灾害起数", "受灾人次", "死亡失踪人数", "直接经济损失（万元）",
                              "上年同期受灾人次"], [], [2])
    for m in range(1, last_month + 1):
        a, b = _in(rs, year, m), _in(rs, year - 1, m)
        by_month.rows.append([f"{m}月", len(a), sum(r.affected for r in a), sum(r.deaths + r.missing for r in a),
                              _wan(sum((r.loss_yuan for r in a), Decimal(0))), sum(r.affected for r in b)])
    focus = _in(rs, year, month) if month else [r for r in _in(rs, year, None) if r.occurred.month <= last_month]
    before = _in(rs, year - 1, month) if month else [r for r in _in(rs, year - 1, None)
                                                      if r.occurred.month <= last_month]
    by_township = Table(f"{f'{month}月' if month else '全年'}分镇（街道）灾情",
                        ["镇（街道）", "灾害起数", "受灾人次", "死亡失踪人数", "直接经济损失（万元）"], [], [2])
    for n in sorted({r.township for r in focus}):
        a = [r for r in focus if r.township == n]
        by_township.rows.append([n, len(a), sum(r.affected for r in a), sum(r.deaths + r.missing for r in a),
                                 _wan(sum((r.loss_yuan for r in a), Decimal(0)))])
    loss_now = sum((r.loss_yuan for r in focus), Decimal(0))
    loss_before = sum((r.loss_yuan for r in before), Decimal(0))
    totals = Table("合计与同比", ["项目", "本期", "上年同期", "同比"], [
        ["灾害起数", len(focus), len(before), _change(len(focus), len(before))],
        ["受灾人次", sum(r.affected for r in focus), sum(r.affected for r in before),
         _change(sum(r.affected for r in focus), sum(r.affected for r in before))],
        ["死亡失踪人数", sum(r.deaths + r.missing for r in focus), sum(r.deaths + r.missing for r in before),
         _change(sum(r.deaths + r.missing for r in focus), sum(r.deaths + r.missing for r in before))],
        ["直接经济损失（万元）", _wan(loss_now), _wan(loss_before), _change(loss_now, loss_before)],
    ], [1, 2])
    summary = [f"本期全区发生自然灾害{len(focus)}起，受灾{sum(r.affected for r in focus)}人次，"
               f"直接经济损失{_wan(loss_now)}万元。", "统计不含演练记录；受灾人次与损失取各灾害最新一次灾情报告。"]
    return Report("disaster", year, month, [totals, by_month, by_township], summary)


def build(db: Session, actor: Actor, kind: str, year: int, month: int | None = None) -> Report:
    return (safety_report if kind == "safety" else disaster_report)(db, actor, year, month)


# --- files -----------------------------------------------------------------------------------------------


def _number(v: Any) -> bool:
    return isinstance(v, int | float | Decimal) and not isinstance(v, bool)


def as_xlsx(report: Report) -> bytes:
    """One sheet per table, each with its native bar chart (categories: the first column)."""
    wb = Workbook()
    wb.remove(wb.active)
    for n, t in enumerate(report.tables, start=1):
        ws = wb.create_sheet(f"{n}.{t.title}"[:31])
        excel.append(ws, [report.title + " · " + t.title])
        ws["A1"].font = Font(bold=True, size=13)
        excel.append(ws, t.header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in t.rows:
            excel.append(ws, [float(v) if isinstance(v, Decimal) else v for v in row])
        for i in range(len(t.header)):
            ws.column_dimensions[ws.cell(2, i + 1).column_letter].width = 16 if i else 22
        if t.rows and t.chart_series:
            chart = BarChart()
            chart.title, chart.y_axis.title = t.title, t.header[t.chart_series[0]]
            chart.height, chart.width = 8, 18
            for col in t.chart_series:
                data = Reference(ws, min_col=col + 1, min_row=2, max_row=2 + len(t.rows))
                chart.add_data(data, titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=1, min_row=3, max_row=2 + len(t.rows)))
            ws.add_chart(chart, f"{ws.cell(2, len(t.header) + 2).column_letter}2")
    notes = wb.create_sheet("说明")
    for line in report.summary:
        excel.append(notes, [line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FONT_PATHS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc")
COLOURS = ((31, 119, 180), (255, 127, 14), (44, 160, 44))


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def chart_png(t: Table, *, width: int = 1200, height: int = 560) -> bytes:
    """A grouped bar chart of the table's chart columns, drawn with Pillow (no plotting library needed)."""
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    small, big = _font(20), _font(26)
    d.text((20, 10), t.title, fill="black", font=big)
    left, top, right, bottom = 90, 60, width - 20, height - 80
    values = [[float(r[c]) if _number(r[c]) else 0.0 for c in t.chart_series] for r in t.rows]
    peak = max([v for vs in values for v in vs] + [1.0])
    d.line((left, top, left, bottom), fill="black", width=2)
    d.line((left, bottom, right, bottom), fill="black", width=2)
    for k in range(5):
        y = bottom - (bottom - top) * k / 4
        d.line((left - 6, y, right, y), fill=(220, 220, 220))
        d.text((10, y - 12), f"{peak * k / 4:.4g}", fill="black", font=small)
    n = max(len(t.rows), 1)
    slot = (right - left) / n
    bar = slot * 0.8 / max(len(t.chart_series), 1)
    for i, (row, vs) in enumerate(zip(t.rows, values, strict=True)):
        x0 = left + slot * i + slot * 0.1
        for j, v in enumerate(vs):
            h = (bottom - top) * v / peak
            d.rectangle((x0 + bar * j, bottom - h, x0 + bar * (j + 1) - 2, bottom), fill=COLOURS[j % 3])
        d.text((x0, bottom + 8), str(row[0])[:8], fill="black", font=small)
    for j, c in enumerate(t.chart_series):
        x = right - 260 * (len(t.chart_series) - j)
        d.rectangle((x, 18, x + 22, 38), fill=COLOURS[j % 3])
        d.text((x + 28, 14), t.header[c][:10], fill="black", font=small)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def issuer(db: Session) -> str:
    districts = geo_service.region_infos(db=db, level="district")
    return (districts[0].name if districts else "") + ISSUER


def as_docx(report: Report, *, issuer: str = ISSUER) -> bytes:
    from docx.shared import Cm

    doc = documents.docx_document(issuer=issuer, title=report.title)
    for line in report.summary:
        doc.add_paragraph(line)
    for n, t in enumerate(report.tables, start=1):
        doc.add_heading(f"{n}. {t.title}", level=2)
        documents.add_table(doc, t.header, t.rows)
        if t.rows and t.chart_series:
            doc.add_picture(io.BytesIO(chart_png(t)), width=Cm(16))
    return documents.docx_bytes(doc)
