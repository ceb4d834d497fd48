"""Files answered for download carry their real name and survive any name (RFC 6266, RFC 8187)."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import openpyxl

from yingji.web.downloads import content_disposition


def _names(header: str) -> tuple[str, str]:
    """(the ASCII ``filename``, the decoded ``filename*``) of a Content-Disposition value."""
    plain = re.search(r'filename="([^"]*)"', header).group(1)
    extended = re.search(r"filename\*=UTF-8''(\S+)", header).group(1)
    return plain, unquote(extended, errors="strict")


def test_a_chinese_name_is_sent_in_utf8_with_an_ascii_fallback() -> None:
    header = content_disposition("隐患台账.xlsx")
    assert header.startswith("attachment;")
    header.encode("latin-1")  # an HTTP header must be Latin-1: a raw 隐 would not be sent at all
    assert _names(header) == ("download.xlsx", "隐患台账.xlsx")


def test_an_ascii_name_is_its_own_fallback_and_inline_is_kept() -> None:
    header = content_disposition("case-12.pdf", inline=True)
    assert header.startswith("inline;")
    assert _names(header) == ("case-12.pdf", "case-12.pdf")


def test_a_quote_or_a_line_break_in_a_name_cannot_end_the_header() -> None:
    header = content_disposition('报表"\r\nSet-Cookie: x=1.xlsx')
    assert "\r" not in header and "\n" not in header and header.count('"') == 2
    assert _names(header)[1] == '报表"\r\nSet-Cookie: x=1.xlsx'


def test_the_duty_roster_template_downloads_under_its_chinese_name(api) -> None:
    r = api("admin").get("/api/v1/duty/roster/template")
    assert r.status_code == 200, r.text
    assert _names(r.headers["content-disposition"])[1] == "值班表模板.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(r.content)).sheetnames


def test_a_table_titled_by_its_reader_downloads_under_that_title(page_client) -> None:
    c = page_client("labao")
    body = {"title": '值班"统计"', "header": ["乡镇", "数量"], "rows": [["拉堡镇", "3"]]}
    r = c.post("/export/table.xlsx", json=body, headers={"X-CSRF-Token": c.csrf})
    assert r.status_code == 200, r.text
    assert _names(r.headers["content-disposition"])[1] == '值班"统计".xlsx'
