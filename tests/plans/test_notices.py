"""Plans in people's 待办, from the outside (``/api/v1/notices``): a submitted filing waits for the bureau's
check (not for the enterprise or a township) until it is decided."""

from __future__ import annotations

from datetime import date

from tests.plans.helpers import bj, chem_enterprise, materials, plan
from tests.plans.test_filing import ALL_PASSED
from yingji.core import outbox
from yingji.core.actor import SYSTEM
from yingji.core.events import topic_of
from yingji.plans.events import PlanFilingDecided, PlanFilingSubmitted
from yingji.plans.schemas import FilingCreate, FilingDecision
from yingji.plans.service import filings


def waiting(client, filing_id: int) -> list[dict]:
    r = client.get("/api/v1/notices?status=open&page_size=500")
    assert r.status_code == 200, r.text
    return [n for n in r.json()["items"] if n["ref_type"] == "filing" and n["ref_id"] == filing_id]


def test_a_submitted_filing_waits_for_the_bureau_until_decided(db, database, api, fixed_clock) -> None:
    fixed_clock(bj(2025, 9, 26))
    p = plan(db, enterprise_id=chem_enterprise(db).id, published_on=date(2025, 9, 26))
    f = filings.submit(db=db, actor=SYSTEM, data=FilingCreate(plan_id=p.id, materials=materials(db)))
    db.commit()
    outbox.drain(database, topics=[topic_of(PlanFilingSubmitted)])
    [notice] = waiting(api("duty"), f.id)
    assert notice["link"] == f"/plans/{p.id}" and "2025-10-10" in notice["body"]  # 5 working days over 国庆
    assert waiting(api("chem"), f.id) == [] and waiting(api("labao"), f.id) == []

    fixed_clock(bj(2025, 10, 9, 10))
    filings.decide(db=db, actor=SYSTEM, filing_id=f.id, data=FilingDecision(decision="accepted", checklist=ALL_PASSED))
    db.commit()
    outbox.drain(database, topics=[topic_of(PlanFilingDecided)])
    fixed_clock(bj(2025, 9, 26, 11))  # back within the lifetime of the clients' tokens
    assert waiting(api("duty"), f.id) == []
