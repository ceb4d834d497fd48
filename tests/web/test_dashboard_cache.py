"""The dashboard is kept per viewer and rebuilt right after a write of what it shows: the counts of its
cards (enterprises, regions, accounts) and the header's 待办 badge change on the very next request after
the commit that changes them, and a browser holding the page's ETag gets ``304`` until then."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.registry.test_enterprises_api import uscc
from tests.web.test_page_queries import statements
from yingji.accounts.models import User
from yingji.core import layercache, notices
from yingji.core.clock import utcnow
from yingji.registry.models import Enterprise


def stat(html: str, name: str) -> int:
    return int(re.search(rf'data-stat="{name}">(\d+)<', html).group(1))


def badge(html: str) -> int:
    found = re.search(r'data-todo-unread="(\d+)"', html)
    return int(found.group(1)) if found else 0


def enterprises_in_db(database) -> int:
    with database.transaction(read=True) as s:
        return s.scalar(select(func.count(Enterprise.id)))


def add_enterprise(s, name: str, seed: str) -> None:
    """An enterprise written straight through a session (no API, no event): where another one is."""
    region_id, region_path = s.execute(select(Enterprise.region_id, Enterprise.region_path).limit(1)).one()
    now = utcnow()
    s.add(Enterprise(name=name, uscc=uscc(seed), industry="mining", region_id=region_id, region_path=region_path,
                     created_at=now, updated_at=now))


def test_a_new_enterprise_is_counted_on_the_next_page(page_client, api, database):
    duty = page_client("duty")
    before = stat(duty.get("/").text, "enterprises")
    assert before == enterprises_in_db(database) > 0  # the duty officer sees the whole district
    assert stat(duty.get("/").text, "enterprises") == before  # kept: same figure

    r = api("duty").post(
        "/api/v1/registry/enterprises",
        json={"name": "柳江看板测试化工有限公司", "uscc": uscc("D7"), "industry": "hazardous_chemicals",
              "lon": 109.33, "lat": 24.26},
    )
    assert r.status_code == 201, r.text
    assert stat(duty.get("/").text, "enterprises") == before + 1

    r = api("duty").delete(f"/api/v1/registry/enterprises/{r.json()['id']}")
    if r.status_code in (200, 204):  # where the registry allows deleting, the figure goes back
        assert stat(duty.get("/").text, "enterprises") == before


def test_a_write_through_a_plain_session_moves_the_generation_at_its_commit(page_client, database):
    duty = page_client("duty")
    before = stat(duty.get("/").text, "enterprises")
    with database.transaction() as s:
        add_enterprise(s, "柳江看板测试二公司", "D8")
    assert stat(duty.get("/").text, "enterprises") == before + 1


def test_a_rolled_back_write_moves_nothing(page_client, database):
    duty = page_client("duty")
    duty.get("/")
    with database.transaction(read=True) as s:
        gen = layercache.versions(s, [layercache.rows_layer("enterprises")])
    try:
        with database.transaction() as s:
            add_enterprise(s, "不会保存的公司", "D9")
            s.flush()
            raise RuntimeError("abandon")
    except RuntimeError:
        pass
    with database.transaction(read=True) as s:
        assert layercache.versions(s, [layercache.rows_layer("enterprises")]) == gen


def test_a_new_account_changes_the_admins_user_figure(page_client, api, database):
    admin = page_client("admin")
    with database.transaction(read=True) as s:
        users = s.scalar(select(func.count(User.id)))
    assert stat(admin.get("/").text, "users") == users
    r = api("admin").post(
        "/api/v1/accounts/users",
        json={"username": "kanban_test", "display_name": "看板测试", "role": "liaison",
              "password": "Kanban-Test-2026!"},
    )
    assert r.status_code == 201, r.text
    assert stat(admin.get("/").text, "users") == users + 1


def test_the_todo_badge_counts_a_new_notice_on_the_next_page(page_client, database):
    duty = page_client("duty")
    before = badge(duty.get("/").text)
    with database.transaction() as s:
        me = s.scalar(select(User.id).where(User.username == "duty"))
        notices.post(s, source="test", kind="test", ref_type="test", ref_id=1, title="看板测试待办",
                     dedupe_key="dash-test-1", recipient_id=me)
    assert badge(duty.get("/").text) == before + 1
    # read elsewhere (the notice's state row): the badge goes back
    with database.transaction() as s:
        n = s.scalar(select(notices.Notice).where(notices.Notice.dedupe_key == "dash-test-1"))
        notices.mark_read(s, actor=s.get(User, me), notice_id=n.id)
    assert badge(duty.get("/").text) == before


def test_an_unchanged_dashboard_answers_304_and_a_changed_one_a_new_page(page_client, database):
    duty = page_client("duty")
    first = duty.get("/")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    again = duty.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    with database.transaction() as s:
        add_enterprise(s, "柳江看板测试三公司", "E1")
    changed = duty.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_each_viewer_gets_their_own_page(page_client):
    # Same role, other people: the header names each of them and carries their own CSRF token.
    duty, leader = page_client("duty"), page_client("leader")
    for c in (duty, leader, duty, leader):
        page = c.get("/").text
        assert f'"X-CSRF-Token": "{c.csrf}"' in page
    assert duty.get("/").text != leader.get("/").text


def test_a_kept_dashboard_is_one_query(engine, page_client):
    duty = page_client("duty")
    duty.get("/")
    with statements(engine) as seen:
        assert duty.get("/").status_code == 200
    # the generations (read whole, and for all the requests waiting at that moment: core.generations);
    # the session, its user, the badge and the counts are kept in memory
    assert len(seen) == 1 and "map_layer_versions" in seen[0], seen
