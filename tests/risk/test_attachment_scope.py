"""Attachments only within scope: a photo may be linked to a hazard or a hazard step only by the account that
uploaded it (ids are sequential; knowing one must not let another account pull a photo into its own hazard),
and it is read only through a record the reader may see. Tried per role over HTTP."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from yingji.core.clock import utcnow
from yingji.risk.models import PublicReport

from .helpers import chem_enterprise_id, user
from .test_public_reports import form, png, village_code

ROLES = ["admin", "duty", "leader", "liaison", "labao", "officer", "chem"]
UPLOADERS = ["duty", "labao", "officer", "chem"]  # the roles that may record hazards, hence upload photos


def _upload(api, who: str) -> int:
    r = api(who).post("/api/v1/risk/attachments", files={"file": ("p.png", png(), "image/png")})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _own_hazard(api, db, who: str, attachment_ids: list[int]):
    """``who`` records a hazard of its own (its enterprise, or a place in its area) with these photos."""
    body = {"title": "消防通道堵塞", "grade": "general", "attachment_ids": attachment_ids}
    if who == "chem":
        body["enterprise_id"] = chem_enterprise_id(db)
    else:
        body |= {"region_code": village_code(db), "place": "村委会旁仓库"}
    return api(who).post("/api/v1/risk/hazards", json=body)


@pytest.mark.parametrize(("owner", "thief"), list(itertools.permutations(UPLOADERS, 2)))
def test_nobody_links_a_photo_another_account_uploaded(api, db, owner: str, thief: str) -> None:
    photo = _upload(api, owner)
    r = _own_hazard(api, db, thief, [photo])
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"][0]["field"] == "attachment_ids"
    # Its own hazard, without the photo: the photo cannot be read through it either.
    mine = _own_hazard(api, db, thief, [])
    assert mine.status_code == 201
    assert api(thief).get(f"/api/v1/risk/hazards/{mine.json()['id']}/attachments/{photo}").status_code == 404


@pytest.mark.parametrize("owner", UPLOADERS)
def test_the_uploader_links_its_photo_and_readers_see_it_only_through_a_hazard_they_see(api, db, owner) -> None:
    photo = _upload(api, owner)
    r = _own_hazard(api, db, owner, [photo])
    assert r.status_code == 201, r.text
    hid = r.json()["id"]
    answers = {}
    for who in ROLES:
        sees_hazard = api(who).get(f"/api/v1/risk/hazards/{hid}").status_code
        got = api(who).get(f"/api/v1/risk/hazards/{hid}/attachments/{photo}")
        answers[who] = got.status_code
        assert got.status_code == (200 if sees_hazard == 200 else 404), (who, sees_hazard)
        if got.status_code == 200:
            assert got.content == png()
    assert answers[owner] == 200 and answers["duty"] == 200
    # chem's enterprise hazard is not seen by the village's information officer, and the other way round.
    if owner == "chem":
        assert answers["officer"] == 404
    if owner in ("labao", "officer"):
        assert answers["chem"] == 404


def test_hazard_steps_link_only_the_actors_own_photos(api, db) -> None:
    hid = _own_hazard(api, db, "chem", []).json()["id"]
    deadline = (utcnow() + timedelta(days=5)).isoformat()
    confirm = {"action": "confirm", "note": "属实", "deadline": deadline}
    assert api("duty").post(f"/api/v1/risk/hazards/{hid}/transitions", json=confirm).status_code == 200
    labao_photo, chem_photo = _upload(api, "labao"), _upload(api, "chem")
    url = f"/api/v1/risk/hazards/{hid}/transitions"
    r = api("chem").post(url, json={"action": "start", "attachment_ids": [labao_photo]})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "attachment_ids"
    assert api("chem").get(f"/api/v1/risk/hazards/{hid}").json()["status"] == "confirmed"  # nothing changed
    r = api("chem").post(url, json={"action": "start", "attachment_ids": [chem_photo]})
    assert r.status_code == 200, r.text
    assert api("chem").get(f"/api/v1/risk/hazards/{hid}/attachments/{chem_photo}").status_code == 200
    assert api("chem").get(f"/api/v1/risk/hazards/{hid}/attachments/{labao_photo}").status_code == 404


def test_public_report_photo_is_read_only_by_who_handles_reports_there(api, client, db) -> None:
    f = form(client)
    r = client.post(
        "/risk/public/report",
        data={**f, "description": "河边堆放大量烟花爆竹", "region_code": village_code(db), "place": "河边"},
        files={"photo": ("p.png", png(), "image/png")},
    )
    code = re.search(r'id="tracking-code"[^>]*>([A-Z0-9]+)<', r.text).group(1)
    report = db.scalar(select(PublicReport).where(PublicReport.tracking_code == code))
    assert report.region_path.startswith(user(db, "labao").scope_path)  # the officer's village is in 拉堡镇
    url = f"/api/v1/risk/reports/{report.id}/photo"
    # Reports are handled by the duty office and the township; the others may not read leads at all.
    expected = {"admin": 200, "duty": 200, "labao": 200, "leader": 403, "liaison": 403, "officer": 403, "chem": 403}
    assert {who: api(who).get(url).status_code for who in ROLES} == expected
    # Nobody links the anonymous photo to a hazard of its own; accepting the report carries it over.
    photo = report.attachment_id
    assert _own_hazard(api, db, "labao", [photo]).status_code == 422
    r = api("labao").post(
        f"/api/v1/risk/reports/{report.id}/decision",
        json={"accept": True, "title": "违规存放烟花爆竹", "deadline": (utcnow() + timedelta(days=5)).isoformat()},
    )
    assert r.status_code == 200, r.text
    hid = r.json()["hazard_id"]
    assert api("labao").get(f"/api/v1/risk/hazards/{hid}/attachments/{photo}").status_code == 200
    assert api("chem").get(f"/api/v1/risk/hazards/{hid}/attachments/{photo}").status_code == 404
