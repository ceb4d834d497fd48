"""防灾明白卡 / 避险明白卡 per threatened household (issue 16 point 2): the .docx opens cleanly and carries
the household, the point, its monitor, warning signal and the way to the named shelter; the PDF is a PDF;
another area's household is not readable; linked sensors show their latest reading."""

from __future__ import annotations

import io

from docx import Document
from tests.natural.helpers import monitor, point, user, village

from yingji.core.actor import SYSTEM
from yingji.core.pagination import PageParams
from yingji.natural.schemas import HouseholdCreate, PointUpdate
from yingji.natural.service import people, points
from yingji.resources import service as resources_service


def _setup(db, *, inside=None, outside=None):
    v = village(db, inside=inside, outside=outside)
    shelters, _ = resources_service.list_shelters(db=db, actor=SYSTEM, page=PageParams(page_size=1))
    p = point(db, v.code, name="明白卡测试滑坡", people_n=5)
    points.update_point(db=db, actor=SYSTEM, point_id=p.id, data=PointUpdate(
        warning_signal="铜锣三长声", evacuation_route="沿村道向东步行 600 米", shelter_id=shelters[0].id,
        responsible_name="覃责任", responsible_phone="13700000000"))
    monitor(db, p.id, name="蓝监测", phone="13800000009")
    h = people.add_household(db=db, actor=SYSTEM, point_id=p.id,
                             data=HouseholdCreate(head_name="韦户主", people=5, address="一组 8 号"))
    db.commit()
    return p, h, shelters[0].name


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    header = [p.text for p in doc.sections[0].header.paragraphs]
    return "\n".join([*header, *(p.text for p in doc.paragraphs), *cells])


def test_the_cards_of_a_household_open_cleanly(api, db) -> None:
    p, h, shelter = _setup(db)
    c = api("duty")
    r = c.get(f"/api/v1/natural/points/{p.id}/households/{h.id}/card?kind=prevention")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = _text(r.content)
    assert "地质灾害防灾明白卡" in text and "韦户主" in text and "蓝监测 13800000009" in text
    assert "铜锣三长声" in text and "人民政府" in text
    r = c.get(f"/api/v1/natural/points/{p.id}/households/{h.id}/card?kind=evacuation")
    text = _text(r.content)
    assert "地质灾害避险明白卡" in text and "沿村道向东步行 600 米" in text and shelter in text
    r = c.get(f"/api/v1/natural/points/{p.id}/households/{h.id}/card?kind=evacuation&format=pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and r.headers["content-type"] == "application/pdf"
    bad = c.get(f"/api/v1/natural/points/{p.id}/households/{h.id}/card?kind=receipt")
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "kind"


def test_another_townships_cards_are_not_readable(api, db) -> None:
    p, h, _ = _setup(db, outside=user(db, "labao").scope_path)
    assert api("labao").get(f"/api/v1/natural/points/{p.id}/households/{h.id}/card").status_code == 404
    assert api("chem").get(f"/api/v1/natural/points/{p.id}/households/{h.id}/card").status_code == 403
    assert api("duty").get(f"/api/v1/natural/points/{p.id}/households/{h.id + 999999}/card").status_code == 404


def test_a_point_shows_its_sensors_readings(api, db, page_client) -> None:
    from yingji.monitoring import service as monitoring_service

    sensors, _ = monitoring_service.list_sensors(db=db, actor=SYSTEM, page=PageParams(page_size=1))
    p, _, _ = _setup(db)
    c = api("duty")
    r = c.put(f"/api/v1/natural/points/{p.id}/sensors", json={"sensor_ids": [sensors[0].id]})
    assert r.status_code == 200, r.text
    bad = c.put(f"/api/v1/natural/points/{p.id}/sensors", json={"sensor_ids": [99999999]})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "sensor_ids[0]"
    [s] = c.get(f"/api/v1/natural/points/{p.id}/sensors").json()["items"]
    assert s["code"] == sensors[0].code
    state = monitoring_service.sensor_state(db=db, sensor_id=sensors[0].id)
    assert s["last_value"] == (state.last_value if state else None)
    page = page_client("duty").get(f"/natural/points/{p.id}")
    assert page.status_code == 200 and sensors[0].code in page.text and "明白卡" in page.text
