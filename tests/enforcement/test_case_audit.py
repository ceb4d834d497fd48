"""Every step of a case is in the hash-chained audit log (执法全过程记录): an edit of the case made past the
application is named by ``yingji enforcement verify-cases``, and covering it up by editing the log is named
by ``yingji audit verify`` (issue 14 point 6)."""

from __future__ import annotations

from sqlalchemy import select, text, update
from typer.testing import CliRunner

from yingji.cli import app as cli_app
from yingji.core.actor import SYSTEM
from yingji.core.audit import AuditEntry
from yingji.core.db import Database
from yingji.enforcement.models import Case, Inspector
from yingji.enforcement.schemas import CaseAmount, CaseCreate, CaseStepCreate
from yingji.enforcement.service import cases
from yingji.registry.models import Enterprise


def test_an_edited_case_is_caught(demo_env) -> None:
    database = Database.from_url(demo_env)
    with database.transaction() as db:
        e = db.scalar(select(Enterprise).where(Enterprise.industry == "industry_trade").order_by(Enterprise.id))
        team = list(db.scalars(select(Inspector.id).order_by(Inspector.id).limit(2)))
        c = cases.file_case(db=db, actor=SYSTEM, data=CaseCreate(
            enterprise_id=e.id, party_name=e.name, violation="illegal_command", inspector_ids=team))
        cases.set_amount(db=db, actor=SYSTEM, case_id=c.id, data=CaseAmount(amount_yuan=15000))
        cases.take_step(db=db, actor=SYSTEM, case_id=c.id, data=CaseStepCreate(step="investigating"))
        case_id, case_no = c.id, c.case_no
        steps = db.scalars(select(AuditEntry).where(AuditEntry.entity == "enf_case_steps")).all()
        assert {s.after["step"] for s in steps if s.after and s.after.get("case_id") == case_id} >= {
            "filed", "investigating"}
    runner = CliRunner()
    assert runner.invoke(cli_app, ["enforcement", "verify-cases"]).exit_code == 0
    assert runner.invoke(cli_app, ["audit", "verify"]).exit_code == 0
    # someone lowers the fine straight in the database
    with database.transaction() as db:
        db.execute(update(Case).where(Case.id == case_id).values(amount_yuan=500))
    caught = runner.invoke(cli_app, ["enforcement", "verify-cases"])
    assert caught.exit_code == 1 and case_no in caught.output and "amount_yuan" in caught.output
    # and rewrites the log to match: the chain breaks
    with database.transaction() as db:
        entry = db.scalar(select(AuditEntry).where(AuditEntry.entity == "enf_cases",
                                                   AuditEntry.entity_id == str(case_id))
                          .where(text("after is not null")).order_by(AuditEntry.seq.desc()).limit(1))
        after = dict(entry.after)
        after["amount_yuan"] = "500"
        db.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values(after=after))
    assert runner.invoke(cli_app, ["enforcement", "verify-cases"]).exit_code == 0
    broken = runner.invoke(cli_app, ["audit", "verify"])
    assert broken.exit_code != 0 and "被改动过" in broken.output
