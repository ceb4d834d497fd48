"""The information officer's home over HTTP, per role: the officer's village — its warnings in force,
open hazards, reports waiting, nearest shelters and teams with phones — and nothing of another village."""

from __future__ import annotations

import pytest

from tests.risk.helpers import new_hazard, user
from tests.warnings.helpers import published


@pytest.fixture
def villages(db, api, fixed_clock):
    own = user(db, "officer").scope_path.rsplit("/", 1)[-1]
    r = api("duty").get("/api/v1/geo/regions", params={"level": "village", "page_size": 200}).json()["items"]
    other = next(v for v in r if v["code"] != own and v["code"][:9] != own[:9])  # in another township
    return own, other["code"]


def _names(api, codes):
    return {c: api("duty").get(f"/api/v1/geo/regions/{c}").json()["name"] for c in codes}


def test_the_officer_sees_their_village_warnings_hazards_and_nearest_help(db, api, page_client, villages) -> None:
    own, other = villages
    names = _names(api, [own, other])
    w_own = published(api, headline="柳江区应急管理局发布暴雨橙色预警（本村）", area={"regions": [own]})
    w_other = published(
        api, headline="柳江区应急管理局发布暴雨黄色预警（他村）", level="yellow", area={"regions": [other]}
    )
    new_hazard(db, enterprise_id=None, region_code=own, title="本村河堤裂缝", place="村口河堤")
    new_hazard(db, enterprise_id=None, region_code=other, title="他村山体松动", place="后山")
    db.flush()

    c = page_client("officer")
    home = c.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/officer"
    html = c.get("/officer").text
    assert "灾害信息员" in html and user(db, "officer").display_name in html
    assert f"· {names[own]}</h1>" in html
    assert w_own["headline"] in html and w_other["headline"] not in html
    assert "本村河堤裂缝" in html and "他村山体松动" not in html
    assert 'href="tel:' in html  # the nearest shelters / teams can be called
    assert html.count('class="officer-item"><b>') >= 2
    assert 'id="report-hazard"' in html and '<a class="button big" href="/incidents/new" id="report-incident">' in html


def test_another_villages_officer_sees_nothing_of_this_village(db, api, page_client, villages) -> None:
    own, other = villages
    r = api("admin").post(
        "/api/v1/accounts/users",
        json={
            "username": "officer_b",
            "password": "long-enough-1",
            "role": "info_officer",
            "display_name": "信息员 乙",
            "region_code": other,
        },
    )
    assert r.status_code == 201, r.text
    published(api, headline="柳江区应急管理局发布暴雨橙色预警（甲村）", area={"regions": [own]})
    new_hazard(db, enterprise_id=None, region_code=own, title="甲村河堤裂缝", place="村口河堤")
    db.flush()

    from tests.conftest import PASSWORDS

    PASSWORDS["officer_b"] = "long-enough-1"
    try:
        b = page_client("officer_b")
    finally:
        del PASSWORDS["officer_b"]
    html = b.get("/officer").text
    assert "信息员 乙" in html
    assert "甲村河堤裂缝" not in html and "（甲村）" not in html
    assert b.get(f"/officer?village={own}").status_code == 404  # out of scope: it does not exist for them


def test_staff_open_a_village_by_code_and_bad_codes_are_named(db, page_client, villages) -> None:
    own, other = villages
    duty = page_client("duty")
    assert duty.get(f"/officer?village={own}").status_code == 200
    assert duty.get("/officer?village=450206100000").status_code == 422  # a township, not a village
    assert duty.get("/officer").status_code == 422  # the duty officer has no village of their own
    assert duty.get("/officer?village=999").status_code == 404
    # A township officer opens the villages of their township only.
    assert user(db, "labao").scope_path in user(db, "officer").scope_path  # the demo officer's village is in 拉堡镇
    labao = page_client("labao")
    assert labao.get(f"/officer?village={own}").status_code == 200
    assert labao.get(f"/officer?village={other}").status_code == 404
