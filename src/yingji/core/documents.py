"""Official documents: a .docx with the issuing body's header and number, and a PDF from HTML.

One place for what every capability's documents share (an enforcement order, a plan's filing certificate,
an incident report, a household's 明白卡): the issuing body's name as the header, a number (文号) under it,
the CJK font set on every run so Word and WPS do not fall back to a Latin font, and a PDF whose fonts are
the machine's own (no web fonts fetched; WeasyPrint embeds the subset it uses).

The capability supplies the words and the issuing body's name (its district, read through the geo
service); this module knows nothing of any capability."""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx import Document as new_docx
from docx.document import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MEDIA_TYPE = "application/pdf"

# The CJK faces installed with the platform (Debian fonts-noto-cjk; .ci/run installs them). A document
# names the face; Word substitutes a similar one where it is absent, the PDF embeds the one found here.
CJK_FONT = "Noto Sans CJK SC"
CJK_SERIF_FONT = "Noto Serif CJK SC"


def docx_document(*, issuer: str, title: str, number: str | None = None) -> Docx:
    """A new .docx: the issuer's name as the header (红头 style, centred), the title, then the number.

    ``issuer`` is e.g. "柳江区应急管理局"; ``number`` the document's 文号 ("柳江应急责改〔2026〕12号"),
    printed under the title when the document has one."""
    doc = new_docx()
    _set_default_font(doc)
    header = doc.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _cjk(header.add_run(issuer))
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _cjk(heading.add_run(title))
    run.bold, run.font.size = True, Pt(18)
    if number:
        no = doc.add_paragraph()
        no.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _cjk(no.add_run(number))
    return doc


def add_field_table(doc: Docx, rows: Iterable[tuple[str, str]]) -> None:
    """A two-column table of label → value (the form part of most official documents)."""
    rows = list(rows)
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        first, second = row.cells
        first.text, second.text = label, value if value else "—"


def add_table(doc: Docx, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A table with a header row (timelines, lists of orders, households)."""
    rows = [[_text(v) for v in row] for row in rows]
    table = doc.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = "Table Grid"
    # Row by row: python-docx's ``table.cell(i, j)`` walks the whole table on every call, which made a
    # report of a few hundred rows take a minute.
    for row, values in zip(table.rows, [list(header), *rows], strict=True):
        for cell, value in zip(row.cells, values, strict=False):  # a short row leaves its last cells empty
            cell.text = value


def add_signature(doc: Docx, *lines: str) -> None:
    """Right-aligned closing lines: the issuing body (and 专用章 wording) and the date."""
    for line in lines:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _cjk(p.add_run(line))


def docx_bytes(doc: Docx) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@dataclass(frozen=True)
class PdfSection:
    """One part of a PDF assembled from several documents (a case file: cover, index, each document)."""

    title: str
    body_html: str  # trusted markup built by the caller, every value passed through ``esc``


def esc(value: object) -> str:
    """A value as HTML text: records' text never becomes markup in a PDF."""
    return html.escape(_text(value))


def pdf_from_html(body_html: str, *, title: str, issuer: str | None = None) -> bytes:
    """A PDF (A4) from a fragment of HTML, in the platform's CJK font, with the issuer in the page header."""
    return pdf_from_sections([PdfSection(title=title, body_html=body_html)], title=title, issuer=issuer)


def pdf_from_sections(sections: Sequence[PdfSection], *, title: str, issuer: str | None = None) -> bytes:
    """One PDF of several sections, each starting on a new page, with page numbers."""
    # Imported here: WeasyPrint loads Pango at import, which pages that never make a PDF need not pay for.
    from weasyprint import HTML

    parts = [
        f'<section><h1>{esc(s.title)}</h1>{s.body_html}</section>' for s in sections
    ]
    page_header = f'@top-center {{ content: "{_css_string(issuer)}"; font-size: 9pt; }}' if issuer else ""
    document = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
@page {{ size: A4; margin: 2.2cm 2cm; {page_header}
  @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 9pt; }} }}
body {{ font-family: "{CJK_FONT}", sans-serif; font-size: 11pt; line-height: 1.5; }}
h1 {{ font-size: 16pt; text-align: center; }}
section + section {{ break-before: page; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #444; padding: 3px 6px; vertical-align: top; }}
img {{ max-width: 100%; }}
</style></head><body>{''.join(parts)}</body></html>"""
    return HTML(string=document).write_pdf()


def html_field_table(rows: Iterable[tuple[str, object]]) -> str:
    return "<table>" + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows) + "</table>"


def html_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _text(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


def _css_string(value: str | None) -> str:
    return (value or "").replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _cjk(run):  # a python-docx Run
    run.font.name = CJK_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
    return run


def _set_default_font(doc: Docx) -> None:
    style = doc.styles["Normal"]
    style.font.name = CJK_FONT
    style.font.size = Pt(11)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
