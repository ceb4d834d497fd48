"""Reminders by SMS (issue 15 point 3): an evaluation falling due, a filing deadline nearing or passed, a
certificate expiring reach the responsible person's phone through the channels' one SMS path (the outbox),
once per reminder however often the job runs; with a fixed clock and the fake SMS channel."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.plans.helpers import bj, chem_enterprise, plan
from yingji import bootstrap
from yingji.channels import service as channels_service
from yingji.channels.fake import FakeChannel
from yingji.core import outbox
from yingji.core.actor import SYSTEM
from yingji.core.events import topic_of
from yingji.core.outbox import OutboxMessage
from yingji.plans import scheduled
from yingji.plans.events import CertificateExpiring, PlanEvaluationDue, PlanFilingDue
from yingji.plans.schemas import CertificateCreate, TraineeCreate
from yingji.plans.service import training

EVENTS = [topic_of(PlanEvaluationDue), topic_of(PlanFilingDue), topic_of(CertificateExpiring)]
PHONES = {"eval": "13800000001", "filing": "13800000002", "cert": "13800000003"}


def texts(db, headline: str) -> dict[str, list[str]]:
    """The SMS of one kind (by headline) queued for the test's phones, by phone, in order."""
    db.expire_all()
    out: dict[str, list[str]] = {}
    for m in db.scalars(select(OutboxMessage).where(OutboxMessage.topic == channels_service.SMS_TOPIC)
                        .order_by(OutboxMessage.id)):
        if m.payload["phone"] in PHONES.values() and m.payload["headline"] == headline:
            out.setdefault(m.payload["phone"], []).append(m.payload["text"])
    return out


EVAL, FILING, CERT = "预案评估提醒", "预案备案提醒", "证书到期提醒"


def run_reminders(db, database) -> None:
    scheduled.reminders(db)
    db.commit()
    outbox.drain(database, topics=EVENTS)


@pytest.fixture
def world(db, fixed_clock):
    fixed_clock(bj(2026, 11, 30, 10))
    # three years from 2023-12-20: due 2026-12-20, within the 60 days' reminder window on 30 Nov
    due = plan(db, kind="general", published_on=date(2023, 12, 20), title="测试区总体应急预案",
               responsible_person="张三", responsible_phone=PHONES["eval"])
    # published Fri 20 Nov 2026: 20 working days (no holiday in between) end on Fri 18 Dec
    unfiled = plan(db, enterprise_id=chem_enterprise(db).id, published_on=date(2026, 11, 20), title="测试企业综合预案",
                   responsible_person="李四", responsible_phone=PHONES["filing"])
    silent = plan(db, kind="general", published_on=date(2023, 12, 20), title="无手机号的预案")
    person = training.create_trainee(db=db, actor=SYSTEM, data=TraineeCreate(
        name="王五", category="high_risk_worker", enterprise_id=chem_enterprise(db).id, phone=PHONES["cert"]))
    training.add_certificate(db=db, actor=SYSTEM, data=CertificateCreate(
        trainee_id=person.id, kind="safety_qualification", number="AQ-1", issued_on=date(2024, 1, 15),
        expires_on=date(2027, 1, 15)))  # 46 days ahead: inside the 90 days
    db.commit()
    return {"due": due.id, "unfiled": unfiled.id, "silent": silent.id}


def test_each_reminder_is_texted_once_to_the_responsible_phone(db, database, world, fixed_clock) -> None:
    run_reminders(db, database)
    run_reminders(db, database)  # the job runs every 6 hours: nothing is texted twice
    assert texts(db, EVAL).keys() == {PHONES["eval"]}
    [evaluation] = texts(db, EVAL)[PHONES["eval"]]
    assert "测试区总体应急预案" in evaluation and "2026-12-20" in evaluation and "即将到期" in evaluation
    [cert] = texts(db, CERT)[PHONES["cert"]]
    assert "王五" in cert and "2027-01-15" in cert
    # the enterprise's filing deadline is 18 days off: not yet; the general plan, published in 2023 and
    # never filed, is reminded as overdue (filed with the level above within 20 working days too)
    filing = texts(db, FILING)
    assert PHONES["filing"] not in filing and len(filing[PHONES["eval"]]) == 1 and "已逾期" in filing[PHONES["eval"]][0]

    fixed_clock(bj(2026, 12, 14, 10))  # 4 days before the filing deadline's last day
    run_reminders(db, database)
    [soon] = texts(db, FILING)[PHONES["filing"]]
    assert "测试企业综合预案" in soon and "2026-12-18" in soon and "即将到期" in soon

    fixed_clock(bj(2026, 12, 21, 10))  # both deadlines passed: once more each, as overdue
    run_reminders(db, database)
    run_reminders(db, database)
    assert len(texts(db, FILING)[PHONES["filing"]]) == 2 and "已逾期" in texts(db, FILING)[PHONES["filing"]][1]
    assert len(texts(db, EVAL)[PHONES["eval"]]) == 2 and "已逾期" in texts(db, EVAL)[PHONES["eval"]][1]
    assert len(texts(db, CERT)[PHONES["cert"]]) == 1

    # the one SMS path delivers them: the fake gateway receives each text once
    fake = FakeChannel("sms")
    try:
        bootstrap.bootstrap(channels={"sms": fake})
        outbox.drain(database, topics=[channels_service.SMS_TOPIC])
    finally:
        bootstrap.bootstrap(channels={})
    delivered = sorted(to.address for to, _m in fake.sent if to.address in PHONES.values())
    assert delivered == sorted([PHONES["eval"]] * 3 + [PHONES["filing"]] * 2 + [PHONES["cert"]])


def test_a_plan_without_a_phone_reminds_in_the_inbox_only(db, database, api, world) -> None:
    run_reminders(db, database)
    r = api("duty").get("/api/v1/notices?status=open&page_size=500")
    kinds = {(n["ref_id"], n["kind"]) for n in r.json()["items"] if n["ref_type"] == "plan"}
    assert (world["silent"], "evaluation_due") in kinds and (world["due"], "evaluation_due") in kinds
    db.expire_all()
    rows = db.scalars(select(OutboxMessage).where(OutboxMessage.topic == channels_service.SMS_TOPIC))
    assert not any("无手机号的预案" in m.payload["text"] for m in rows)


def test_a_filing_under_check_or_filed_is_not_reminded(db, database, world, fixed_clock) -> None:
    from tests.plans.helpers import materials
    from yingji.plans.schemas import FilingCreate
    from yingji.plans.service import filings

    filings.submit(db=db, actor=SYSTEM, data=FilingCreate(plan_id=world["unfiled"], materials=materials(db)))
    db.commit()
    fixed_clock(bj(2026, 12, 14, 10))  # within 7 days of the deadline, but the bureau has it
    run_reminders(db, database)
    assert PHONES["filing"] not in texts(db, FILING)
