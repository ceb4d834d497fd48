"""Enforceable items and checklists (issue 14 point 2): editable data with the legal basis, Excel import
all-or-nothing with each bad row named, export back in the same columns, and no inspection under an item
that has not been published (应急〔2025〕11号)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.enforcement.helpers import item, sheet_rows, xlsx
from yingji.enforcement.models import ChecklistEntry, EnforceableItem

HEADER = ["事项编码", "事项名称", "事项类别", "行业领域", "法律依据", "实施机构"]
CHECK_HEADER = ["行业领域", "序号", "执法事项编码", "检查内容", "检查方式", "检查依据"]


def _import(client, data: bytes):
    return client.post("/api/v1/enforcement/items/import", files={"file": ("items.xlsx", data, "application/x")})


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_an_unpublished_item_cannot_be_inspected(api, db) -> None:
    draft = item(db, code="T-DRAFT-1", publish=False)
    db.commit()
    duty = api("duty")
    body = {"title": "测试抽查", "item_id": draft.id, "enterprises": 1}
    r = duty.post("/api/v1/enforcement/draws", json=body)
    assert r.status_code == 409
    assert "尚未公布" in r.json()["error"]["message"]
    assert duty.post(f"/api/v1/enforcement/items/{draft.id}/publish").json()["status"] == "published"
    assert duty.post("/api/v1/enforcement/draws", json=body).status_code == 201
    # withdrawn again: no new inspection under it
    assert duty.post(f"/api/v1/enforcement/items/{draft.id}/withdraw").status_code == 200
    assert duty.post("/api/v1/enforcement/draws", json=body).status_code == 409


def test_drafts_are_seen_only_by_the_editors(api, db) -> None:
    draft = item(db, code="T-DRAFT-2", publish=False)
    shown = item(db, code="T-PUB-2")
    db.commit()
    for username in ("chem", "labao", "inspector"):
        listed = {i["code"] for i in api(username).get("/api/v1/enforcement/items?page_size=500").json()["items"]}
        assert shown.code in listed and draft.code not in listed, username
        assert api(username).get(f"/api/v1/enforcement/items/{draft.id}").status_code == 404
    assert api("duty").get(f"/api/v1/enforcement/items/{draft.id}").status_code == 200


def test_only_the_bureau_edits_the_list(api, db) -> None:
    target = item(db, code="T-PUB-3")
    db.commit()
    body = {"code": "T-NEW-1", "name": "新事项", "industry": "fireworks", "basis": "安全生产法"}
    for username in ("chem", "labao", "inspector", "leader", "officer"):
        c = api(username)
        assert c.post("/api/v1/enforcement/items", json=body).status_code == 403, username
        assert c.patch(f"/api/v1/enforcement/items/{target.id}", json={"name": "改"}).status_code in (403, 404)
        assert c.post(f"/api/v1/enforcement/items/{target.id}/withdraw").status_code in (403, 404)
        r = _import(c, xlsx(HEADER))
        assert r.status_code == 403, username
    assert api("duty").post("/api/v1/enforcement/items", json=body).status_code == 201


def test_item_import_is_all_or_nothing_and_names_every_bad_row(api, db) -> None:
    before = _count(db, EnforceableItem)
    data = xlsx(HEADER,
                ["T-X-1", "烟花爆竹检查", "行政检查", "烟花爆竹", "《烟花爆竹安全管理条例》第四条", "区应急管理局"],
                ["T-X-2", "某检查", "行政检查", "不存在的行业", "某法", ""],
                ["T-X-3", "某检查", "行政检查", "工贸", "", ""],
                ["T-X-1", "重复编码", "行政检查", "工贸", "某法", ""])
    r = _import(api("duty"), data)
    assert r.status_code == 422
    fields = [d["field"] for d in r.json()["error"]["details"]]
    assert any(f.startswith("第3行") and "行业领域" in f for f in fields)
    assert any(f.startswith("第4行") and "法律依据" in f for f in fields)
    assert not any(f.startswith("第2行") for f in fields)
    assert _count(db, EnforceableItem) == before
    # the duplicate code is a row error of its own, found once the cells are well formed
    data = xlsx(HEADER, ["T-X-1", "烟花爆竹检查", "行政检查", "烟花爆竹", "某法", ""],
                ["T-X-1", "重复编码", "行政检查", "工贸", "某法", ""])
    r = _import(api("duty"), data)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"].startswith("第3行")
    assert _count(db, EnforceableItem) == before


def test_items_export_and_import_back(api, db) -> None:
    duty = api("duty")
    data = xlsx(HEADER, ["T-Y-1", "工贸企业检查", "行政检查", "工贸", "安全生产法第六十五条", "区应急管理局"],
                ["T-Y-2", "培训违法处罚", "行政处罚", "全行业", "安全生产法第九十七条", ""])
    r = duty.post("/api/v1/enforcement/items/import", files={"file": ("i.xlsx", data, "application/octet-stream")})
    assert r.status_code == 200 and r.json() == {"imported": 2}
    listed = {i["code"]: i for i in duty.get("/api/v1/enforcement/items?page_size=500").json()["items"]}
    assert listed["T-Y-1"]["status"] == "draft" and listed["T-Y-2"]["industry"] == "all"
    exported = sheet_rows(duty.get("/api/v1/enforcement/items.xlsx").content)
    assert list(exported[0]) == HEADER
    mine = [r for r in exported if r[0] == "T-Y-2"][0]
    assert mine[2:5] == ("行政处罚", "全行业", "安全生产法第九十七条")
    # the export imports back unchanged: same count, nothing new
    before = _count(db, EnforceableItem)
    again = duty.post("/api/v1/enforcement/items/import",
                      files={"file": ("e.xlsx", duty.get("/api/v1/enforcement/items.xlsx").content, "application/x")})
    assert again.status_code == 200
    assert _count(db, EnforceableItem) == before


def test_checklist_import_names_an_unknown_item(api, db) -> None:
    pub = item(db, code="T-CK-1", industry="industry_trade")
    db.commit()
    duty = api("duty")
    before = _count(db, ChecklistEntry)
    bad = xlsx(CHECK_HEADER, ["工贸", "9.1", pub.code, "粉尘防爆措施", "现场检查", "粉尘防爆安全规定"],
               ["工贸", "9.2", "NO-SUCH", "有限空间审批", "查阅资料", ""],
               ["烟花爆竹", "9.3", pub.code, "工贸事项用于烟花爆竹", "", ""])
    r = duty.post("/api/v1/enforcement/checklists/import", files={"file": ("c.xlsx", bad, "application/x")})
    assert r.status_code == 422
    fields = [d["field"] for d in r.json()["error"]["details"]]
    assert fields == ["第3行 item_code", "第4行 item_code"]
    assert _count(db, ChecklistEntry) == before
    good = xlsx(CHECK_HEADER, ["工贸", "9.10", pub.code, "第二条", "", ""],
                ["工贸", "9.2", pub.code, "第一条", "查阅资料", "有限空间作业安全规定"])
    assert duty.post("/api/v1/enforcement/checklists/import",
                     files={"file": ("c.xlsx", good, "application/x")}).json() == {"imported": 2}
    lines = duty.get("/api/v1/enforcement/checklists/industry_trade").json()["items"]
    numbers = [e["number"] for e in lines if e["number"].startswith("9.")]
    assert numbers == ["9.2", "9.10"]  # numbered as the bureau numbers, not as text
    exported = sheet_rows(duty.get("/api/v1/enforcement/checklists.xlsx?industry=industry_trade").content)
    assert list(exported[0]) == CHECK_HEADER
    assert ("工贸", "9.2", pub.code, "第一条", "查阅资料", "有限空间作业安全规定") in exported
    # an enterprise reads the checklist it will be inspected against, but cannot change it
    assert api("chem").get("/api/v1/enforcement/checklists/industry_trade").status_code == 200
    assert api("chem").put("/api/v1/enforcement/checklists", json={
        "industry": "industry_trade", "number": "9.9", "item_code": pub.code, "content": "x"}).status_code == 403


def test_item_pages(page_client, db) -> None:
    item(db, code="T-PAGE-1", industry="fireworks")
    db.commit()
    page = page_client("duty").get("/enforcement")
    assert page.status_code == 200 and "T-PAGE-1" in page.text and "未建设" not in page.text.split("监管执法")[1][:40]
    assert page_client("chem").get("/enforcement/checklists/fireworks").status_code == 200
