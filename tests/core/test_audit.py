"""Every write leaves a hash-chained audit entry in its own transaction; tampering is found."""

from __future__ import annotations

from sqlalchemy import select, text

from yingji.core.actor import SYSTEM
from yingji.core.audit import AuditEntry, verify_chain
from yingji.registry import service as registry_service
from yingji.registry.schemas import EnterpriseCreate, EnterpriseUpdate
from yingji.registry.standards import uscc_check_char


def _uscc(seed: str) -> str:
    body = ("91450206" + seed + "000000000")[:17]
    return body + uscc_check_char(body)


def _entries(db, entity: str, entity_id: int) -> list[AuditEntry]:
    q = select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
    return list(db.scalars(q.order_by(AuditEntry.seq)))


def test_create_update_delete_are_audited_with_before_and_after(db) -> None:
    db.info["actor_id"] = 42
    e = registry_service.create_enterprise(
        db=db,
        actor=SYSTEM,
        data=EnterpriseCreate(
            name="审计测试企业", uscc=_uscc("AU1"), industry="industry_trade", region_code="450206100000"
        ),
    )
    registry_service.update_enterprise(db=db, actor=SYSTEM, enterprise_id=e.id, data=EnterpriseUpdate(employees=77))
    registry_service.delete_enterprise(db=db, actor=SYSTEM, enterprise_id=e.id)
    entries = _entries(db, "enterprises", e.id)
    assert [x.action for x in entries] == ["create", "update", "delete"]
    assert all(x.actor_id == 42 for x in entries)
    assert entries[0].after["name"] == "审计测试企业" and entries[0].before is None
    assert entries[1].before == {"employees": 0, "updated_at": entries[1].before["updated_at"]}
    assert entries[1].after["employees"] == 77
    assert entries[2].before["employees"] == 77 and entries[2].after is None
    assert verify_chain(db).ok


def test_secrets_never_reach_the_log(db) -> None:
    from yingji.accounts.models import User

    rows = db.scalars(select(AuditEntry).where(AuditEntry.entity == "users")).all()
    hashes = [r.after["password_hash"] for r in rows if r.after and "password_hash" in r.after]
    assert hashes and set(hashes) == {"***"}
    assert db.scalars(select(User)).first() is not None


def test_a_rolled_back_change_leaves_no_entry(database) -> None:
    before = _count(database)
    try:
        with database.transaction() as s:
            registry_service.create_enterprise(
                db=s,
                actor=SYSTEM,
                data=EnterpriseCreate(
                    name="回滚企业", uscc=_uscc("AU2"), industry="industry_trade", region_code="450206100000"
                ),
            )
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert _count(database) == before


def _count(database) -> int:
    with database.transaction() as s:
        return len(s.scalars(select(AuditEntry.id)).all())


def test_verify_names_the_first_altered_entry(db) -> None:
    e = registry_service.create_enterprise(
        db=db,
        actor=SYSTEM,
        data=EnterpriseCreate(
            name="篡改测试企业", uscc=_uscc("AU3"), industry="industry_trade", region_code="450206100000"
        ),
    )
    db.flush()
    entry = _entries(db, "enterprises", e.id)[0]
    assert verify_chain(db).ok
    # Someone edits a row by hand in the database.
    db.execute(text("UPDATE audit_entries SET entity_id = '999999' WHERE seq = :s"), {"s": entry.seq})
    db.expire_all()
    report = verify_chain(db)
    assert not report.ok and report.broken_seq == entry.seq and "被改动" in report.reason


def test_verify_finds_a_deleted_entry(db) -> None:
    last = db.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    db.execute(text("DELETE FROM audit_entries WHERE seq = :s"), {"s": last - 5})
    report = verify_chain(db)
    assert not report.ok and report.broken_seq == last - 4
