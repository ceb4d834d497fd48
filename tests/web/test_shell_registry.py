"""The shell's registration interface (web.shell) and the one load-or-404 (core.actor.load_in_scope, the
web kit's ``in_scope`` dependency): what a capability registers is what the shell shows, in order; a record
missing and a record outside the user's area answer the same 404."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from yingji.core.actor import SYSTEM, load_in_scope
from yingji.core.errors import NotFound, PermissionDenied
from yingji.web.shell import Card, NavEntry, Shell, register


def test_registering_again_replaces_and_lists_come_out_by_order() -> None:
    shell = Shell()
    shell.register("b", menu=(NavEntry("b", "乙", "/b", "", order=20),), cards=(Card("b/c.html"),))
    shell.register("a", menu=(NavEntry("a", "甲", "/a", "", order=10), NavEntry("a", "丙", "/c", "", order=30)))
    shell.register("b", menu=(NavEntry("b", "乙", "/b", "", order=20),))  # the app built a second time
    assert [e.label for e in shell.menu()] == ["甲", "乙", "丙"]
    assert shell.cards() == []  # b's second registration replaced its first
    assert shell.entry_for("a").url == "/a" and shell.entry_for("z") is None


def test_every_capability_brings_its_own_menu_entry(app) -> None:
    import yingji
    from yingji.web.shell import SHELL

    registered = {e.capability for e in SHELL.menu()}
    assert set(yingji.CAPABILITIES) <= registered  # built or not, each one is listed by its own shell.py


def test_a_registered_card_appears_on_the_dashboard_and_a_withheld_one_does_not(app, page_client) -> None:
    from yingji.web.shell import SHELL, _Registration

    saved = dict(SHELL._by_capability)
    probe = SimpleNamespace(
        CARDS=(
            Card("web/_probe_card.html", data=lambda request, db, user: {"n": 41 + 1}, order=1),
            Card("web/_probe_card.html", permission="no.such.permission", data=lambda *a: {"n": -1}),
        )
    )
    register("probe", probe)
    from jinja2 import DictLoader

    from yingji.web.templating import templates

    loaders = templates().env.loader.loaders
    card = '<section class="card" id="probe-card">{{ data.n }}</section>'
    loaders.insert(0, DictLoader({"web/_probe_card.html": card}))
    try:
        html = page_client("duty").get("/").text
        assert 'id="probe-card">42<' in html
        assert 'id="probe-card">-1<' not in html  # nobody holds that permission: not shown, not computed
    finally:
        loaders.pop(0)
        SHELL._by_capability.clear()
        SHELL._by_capability.update(saved)
    assert isinstance(saved.get("geo"), _Registration)


class _Db:
    def __init__(self, rows):
        self.rows = rows

    def get(self, model, key):
        return self.rows.get(key)


class _Actor:
    def __init__(self, *, scope_path=None, enterprise_id=None, perms=("x.read",)):
        self.id, self.username, self.role = 1, "u", "r"
        self.scope_path, self.enterprise_id, self.perms = scope_path, enterprise_id, perms

    def can(self, permission):
        return permission in self.perms


def test_load_in_scope_answers_the_same_404_for_missing_and_out_of_scope() -> None:
    row = SimpleNamespace(region_path="450206000000/450206100000", enterprise_id=None)
    db = _Db({1: row})
    township = _Actor(scope_path="450206000000/450206100000")
    other = _Actor(scope_path="450206000000/450206101000")
    assert load_in_scope(db, township, object, 1, what="队伍", permission="x.read") is row
    with pytest.raises(NotFound) as missing:
        load_in_scope(db, township, object, 2, what="队伍", permission="x.read")
    with pytest.raises(NotFound) as outside:
        load_in_scope(db, other, object, 1, what="队伍", permission="x.read")
    assert str(missing.value) == str(outside.value) == "队伍不存在"
    with pytest.raises(PermissionDenied):
        load_in_scope(db, _Actor(perms=()), object, 1, what="队伍", permission="x.read")
    # An enterprise's own record, for that enterprise only; a capability's own rule when it gives one.
    own = SimpleNamespace(region_path="450206000000", enterprise_id=7)
    assert load_in_scope(_Db({1: own}), _Actor(enterprise_id=7), object, 1, what="记录") is own
    with pytest.raises(NotFound):
        load_in_scope(_Db({1: own}), _Actor(enterprise_id=8), object, 1, what="记录")
    with pytest.raises(NotFound):
        load_in_scope(db, SYSTEM, object, 1, what="记录", visible=lambda actor, r: False)


def test_the_in_scope_dependency_answers_404_out_of_scope_and_422_for_a_bad_id(api) -> None:
    teams = api("duty").get("/api/v1/resources/teams", params={"page_size": 200}).json()["items"]
    labao = api("labao").get("/api/v1/resources/teams", params={"page_size": 200}).json()["items"]
    seen = {t["id"] for t in labao}
    hidden = next(t for t in teams if t["id"] not in seen)
    r = api("labao").get(f"/api/v1/resources/teams/{hidden['id']}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    missing = api("labao").get("/api/v1/resources/teams/999999")
    assert missing.status_code == 404 and missing.json()["error"]["message"] == r.json()["error"]["message"]
    bad = api("duty").get("/api/v1/resources/teams/abc")
    assert bad.status_code == 422 and "team_id" in bad.text
    assert api("duty").get(f"/api/v1/resources/teams/{hidden['id']}").json()["id"] == hidden["id"]
