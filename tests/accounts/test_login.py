"""Login: passwords, tokens, sessions, CSRF and the throttle against guessing."""

from __future__ import annotations

import re
from datetime import timedelta

from yingji.accounts import service
from yingji.accounts.models import User
from yingji.core.security import verify_password


def _token(client, username: str, password: str):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def test_token_for_right_password(client) -> None:
    r = _token(client, "duty", "yingji-duty-2026")
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 12 * 3600 and len(body["access_token"]) > 30
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["username"] == "duty"


def test_wrong_password_and_unknown_user_look_alike(client) -> None:
    a = _token(client, "duty", "wrong-password")
    b = _token(client, "nobody", "wrong-password")
    assert a.status_code == b.status_code == 401
    assert a.json() == b.json() == {"error": {"code": "unauthenticated", "message": "用户名或密码错误", "details": []}}


def test_passwords_are_argon2_hashed(db) -> None:
    from sqlalchemy import select

    user = db.scalar(select(User).where(User.username == "duty"))
    assert user.password_hash.startswith("$argon2id$")
    assert "yingji-duty-2026" not in user.password_hash
    assert verify_password(user.password_hash, "yingji-duty-2026")


def test_bad_and_missing_tokens_refused(client) -> None:
    assert client.get("/api/v1/auth/me").status_code == 401
    r = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"


def test_expired_token_refused(client, fixed_clock) -> None:
    from datetime import UTC, datetime

    start = datetime(2026, 6, 1, tzinfo=UTC)
    fixed_clock(start)
    token = _token(client, "duty", "yingji-duty-2026").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    fixed_clock(start + timedelta(hours=12, seconds=1))
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_failed_logins_slow_down_then_lock(client, fixed_clock) -> None:
    from datetime import UTC, datetime

    t0 = datetime(2026, 6, 1, tzinfo=UTC)
    fixed_clock(t0)
    for _ in range(3):
        assert _token(client, "leader", "guess").status_code == 401
    # After three failures the next try must wait (2 s), even with the right password.
    r = _token(client, "leader", "yingji-leader-2026")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert "秒后再试" in r.json()["error"]["message"]
    t = t0
    for _ in range(5):  # keep guessing, each time after the wait
        t += timedelta(seconds=61)
        fixed_clock(t)
        assert _token(client, "leader", "guess").status_code == 401
    # The 8th failure locked the account for 15 minutes: the right password is refused too.
    fixed_clock(t + timedelta(seconds=61))
    locked = _token(client, "leader", "yingji-leader-2026")
    assert locked.status_code == 429 and "锁定" in locked.json()["error"]["message"]
    fixed_clock(t + timedelta(minutes=16))
    assert _token(client, "leader", "yingji-leader-2026").status_code == 200


def test_success_resets_the_failure_count(client, fixed_clock) -> None:
    from datetime import UTC, datetime

    fixed_clock(datetime(2026, 6, 1, tzinfo=UTC))
    assert _token(client, "liaison", "guess").status_code == 401
    assert _token(client, "liaison", "yingji-liaison-2026").status_code == 200
    for _ in range(2):
        assert _token(client, "liaison", "guess").status_code == 401
    assert _token(client, "liaison", "yingji-liaison-2026").status_code == 200


def test_login_form_sets_httponly_samesite_cookie(client) -> None:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    r = client.post(
        "/login", data={"username": "duty", "password": "yingji-duty-2026", "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "yingji_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_login_form_without_csrf_token_is_refused(client) -> None:
    client.get("/login")
    r = client.post("/login", data={"username": "duty", "password": "yingji-duty-2026"}, follow_redirects=False)
    assert r.status_code == 403
    assert "CSRF" in r.text and "yingji_session" not in r.headers.get("set-cookie", "")


def test_login_form_wrong_password_shows_error_in_chinese(client) -> None:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    r = client.post("/login", data={"username": "duty", "password": "nope", "csrf_token": token})
    assert r.status_code == 401 and "用户名或密码错误" in r.text


def test_login_next_only_goes_to_local_paths(client) -> None:
    form = client.get("/login?next=https://evil.example/")
    assert 'name="next" value="/"' in form.text


def test_page_post_without_csrf_is_refused_and_changes_nothing(page_client) -> None:
    c = page_client("duty")
    r = c.post("/logout", follow_redirects=False)
    assert r.status_code == 403
    assert c.get("/", follow_redirects=False).status_code == 200  # still logged in
    ok = c.post("/logout", data={"csrf_token": c.csrf}, follow_redirects=False)
    assert ok.status_code == 303
    assert c.get("/", follow_redirects=False).status_code == 303  # logged out


def test_cookie_api_write_needs_csrf_header(page_client) -> None:
    c = page_client("admin")
    body = {"population": 1}
    assert c.patch("/api/v1/geo/regions/450206100000", json=body).status_code == 403
    r = c.patch("/api/v1/geo/regions/450206100000", json=body, headers={"X-CSRF-Token": c.csrf})
    assert r.status_code == 200 and r.json()["population"] == 1


def test_expired_session_redirects_to_login(page_client, fixed_clock) -> None:
    from datetime import UTC, datetime

    fixed_clock(datetime(2026, 6, 1, tzinfo=UTC))
    c = page_client("duty")
    assert c.get("/", follow_redirects=False).status_code == 200
    fixed_clock(datetime(2026, 6, 1, 8, 0, 1, tzinfo=UTC))
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_password_change_ends_other_sessions(db, client) -> None:
    from sqlalchemy import select

    from yingji.accounts.schemas import UserUpdate

    token = _token(client, "duty", "yingji-duty-2026").json()["access_token"]
    user = db.scalar(select(User).where(User.username == "duty"))
    service.update_user(db=db, actor=user, user_id=user.id, data=UserUpdate(password="a-new-password-1"))
    db.flush()
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
