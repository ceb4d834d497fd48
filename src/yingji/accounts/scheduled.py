from sqlalchemy.orm import Session

from yingji.accounts import service
from yingji.core.jobs import scheduled


@scheduled("accounts.purge_expired_sessions", every_s=3600)
def purge_expired_sessions(db: Session) -> str:
    """Deletes expired browser sessions and API tokens."""
    return f"removed {service.purge_expired(db=db)}"
