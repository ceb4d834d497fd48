"""The duty-room wall (大屏): ``/stats/screen`` (full screen, dark), its snapshot as JSON and its live stream.

The page draws the 一张图 map with the same layers and script as /map, and the panels from ``screen.snapshot``
(what the logged-in reader may see). The stream sends a ``screen`` event with the whole snapshot whenever it
changes; the page redraws its panels in place, never reloading."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse

from yingji.accounts import service as accounts_service
from yingji.stats import screen
from yingji.web.deps import SESSION_COOKIE, DbSession, PageUser, get_database
from yingji.web.shell import SHELL, shown
from yingji.web.sse import change_stream
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/stats/screen", response_class=HTMLResponse)
def wall(request: Request, db: DbSession, user: PageUser,
         poll_s: Annotated[float, Query(ge=0.2, le=30)] = 2.0) -> HTMLResponse:
    layers = shown(request, db, user, SHELL.map_layers())
    return render(request, "stats/screen.html", {"layers": layers, "snapshot": screen.snapshot(db, user),
                                                 "poll_s": poll_s})


@router.get("/stats/screen/data")
def data(db: DbSession, user: PageUser) -> JSONResponse:
    return JSONResponse(screen.snapshot(db, user))


@router.get("/stats/screen/stream")
def stream(request: Request, db: DbSession, user: PageUser,
           poll_s: Annotated[float, Query(ge=0.2, le=30)] = 2.0,
           max_s: Annotated[float, Query(ge=1, le=3600)] = 600) -> StreamingResponse:
    """A ``screen`` event with the snapshot whenever what the wall shows changes; the browser reconnects by
    itself after ``max_s``."""
    database = get_database(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    last: dict[str, Any] = {}

    def token() -> str:
        # The reader is looked up again at every poll: a wall whose session ended (logout, expiry, the
        # account deactivated) shows nothing more.
        with database.transaction(read=True) as session:
            found = accounts_service.resolve_session(db=session, token=cookie)
            snap = screen.snapshot(session, found[0]) if found else {"ended": True}
        last["snapshot"] = snap
        return screen.token(snap)

    return change_stream(request, token, poll_s=poll_s, max_s=max_s, event="screen",
                         data=lambda _t: {"snapshot": last["snapshot"]})
