"""The electronic case file (电子卷宗, issue 14 point 6) as one PDF: cover, index, one document per step, in
the case's scope only."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.enforcement.test_cases import amount, bj, file, step, team  # noqa: F401  (team is a fixture)


def test_the_case_file_opens_with_cover_index_and_every_document(api, db, team, fixed_clock) -> None:  # noqa: F811
    fixed_clock(bj(2025, 9, 1))
    c = file(api, db, team)
    amount(api, c["id"], 15000)
    for to, at in [("investigating", bj(2025, 9, 2)), ("notified", bj(2025, 9, 10)), ("decided", bj(2025, 9, 12))]:
        assert step(api, c["id"], to, at).status_code == 200
    r = api("duty").get(f"/api/v1/enforcement/cases/{c['id']}/file.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 2 + 4  # cover, index, 立案 调查 告知 决定
    text = [p.extract_text() for p in reader.pages]
    assert "卷宗封面" in text[0] and c["case_no"] in text[0]
    assert "卷内目录" in text[1] and "行政处罚决定书" in text[1]
    assert "行政处罚决定书" in text[5] and "10000–20000" in text[5]
    assert api("chem").get(f"/api/v1/enforcement/cases/{c['id']}/file.pdf").status_code == 404
    assert api("inspector").get(f"/api/v1/enforcement/cases/{c['id']}/file.pdf").status_code == 200
