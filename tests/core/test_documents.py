"""Official documents: the .docx opens with its header, number and tables; the PDF carries its CJK text,
embeds its font, escapes record text and starts each section on its own page."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pypdf import PdfReader

from yingji.core import documents

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_docx_has_issuer_header_title_number_fields_and_signature() -> None:
    doc = documents.docx_document(issuer="柳江区应急管理局", title="责令限期整改指令书",
                                  number="柳江应急责改〔2026〕7号")
    documents.add_field_table(doc, [("被检查单位", "柳州某化工有限公司"), ("整改期限", "")])
    documents.add_table(doc, ["序号", "隐患"], [[1, "储罐区未设防火堤"], [2, None]])
    documents.add_signature(doc, "柳江区应急管理局（印章）", "2026年12月2日")
    opened = Document(io.BytesIO(documents.docx_bytes(doc)))

    assert opened.sections[0].header.paragraphs[0].text == "柳江区应急管理局"
    texts = [p.text for p in opened.paragraphs]
    assert texts[:2] == ["责令限期整改指令书", "柳江应急责改〔2026〕7号"]
    assert texts[-2:] == ["柳江区应急管理局（印章）", "2026年12月2日"]
    fields, listing = opened.tables
    assert [c.text for c in fields.rows[0].cells] == ["被检查单位", "柳州某化工有限公司"]
    assert fields.cell(1, 1).text == "—"  # an empty value is shown as a dash, not left blank
    assert [[c.text for c in r.cells] for r in listing.rows] == [
        ["序号", "隐患"], ["1", "储罐区未设防火堤"], ["2", "—"]]
    # The East Asian font is named on the style, so Word and WPS do not fall back to a Latin face.
    rfonts = opened.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == documents.CJK_FONT


def test_docx_without_number_has_no_number_line() -> None:
    doc = documents.docx_document(issuer="柳江区应急管理局", title="防灾明白卡")
    opened = Document(io.BytesIO(documents.docx_bytes(doc)))
    assert [p.text for p in opened.paragraphs] == ["防灾明白卡"]


def test_pdf_carries_cjk_text_embeds_font_and_escapes_record_text() -> None:
    hostile = '<img src=x onerror="alert(1)">危险'
    body = documents.html_field_table([("单位名称", "柳州某化工有限公司"), ("备注", hostile)])
    pdf = documents.pdf_from_html(body, title="现场检查记录", issuer="柳江区应急管理局")
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "现场检查记录" in text and "柳州某化工有限公司" in text and "柳江区应急管理局" in text
    assert "onerror" in text  # shown as text, not taken as markup
    fonts = [f for f in _fonts(reader) if "CJK" in f]
    assert fonts, "the CJK font is embedded"


def test_pdf_sections_each_start_on_a_new_page_with_page_numbers() -> None:
    sections = [
        documents.PdfSection(title="卷宗封面", body_html="<p>案件名称：某公司未按规定排查隐患案</p>"),
        documents.PdfSection(title="卷内目录", body_html=documents.html_table(["序号", "文书"], [[1, "立案审批表"]])),
        documents.PdfSection(title="立案审批表", body_html="<p>案由：未建立隐患排查治理制度</p>"),
    ]
    reader = PdfReader(io.BytesIO(documents.pdf_from_sections(sections, title="电子卷宗")))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) == 3
    for i, (section, page) in enumerate(zip(sections, pages, strict=True), start=1):
        assert section.title in page
        assert f"{i} / 3" in page


def _fonts(reader: PdfReader) -> list[str]:
    names: list[str] = []
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            if descendants:
                descriptors = [d.get_object().get("/FontDescriptor") for d in descendants]
            else:
                descriptors = [font.get("/FontDescriptor")]
            for d in descriptors:
                d = d.get_object() if d is not None else {}
                if any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.append(str(font.get("/BaseFont")))
    return names
