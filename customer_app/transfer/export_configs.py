"""Named export configurations: a format, a scope and columns in order, saved once and reused by every admin."""

import json

from sqlmodel import Session, col, select

from customer_app.core.columns import utcnow
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.errors import ValidationError
from customer_app.transfer.columns import checked_columns, custom_columns
from customer_app.transfer.export import FORMATS
from customer_app.transfer.models import ExportConfig

MAX_NAME = 100
SCOPES = {"view": "Current tab, search and filters", "selected": "Selected rows", "all": "Everything (not in Trash)"}


def list_configs(*, actor: Actor, session: Session) -> list[ExportConfig]:
    """Saved configurations by name."""
    require(actor, "customer.export")
    return list(session.exec(select(ExportConfig).order_by(col(ExportConfig.name))).all())


def save_config(
    name: str, file_format: str, scope: str, columns: list[str], *, actor: Actor, session: Session
) -> ExportConfig:
    """Save (or overwrite, by name) a configuration."""
    require(actor, "customer.export")
    title = clean_text(name)
    if not title:
        raise ValidationError({"config_name": "Give the configuration a name."})
    if len(title) > MAX_NAME:
        raise ValidationError({"config_name": f"Keep the name under {MAX_NAME} characters."})
    if file_format not in FORMATS or scope not in SCOPES:
        raise ValidationError({"config_name": "Choose a format and a scope."})
    keys = [column.key for column in checked_columns(columns, custom_columns(actor=actor, session=session))]
    config = session.exec(select(ExportConfig).where(col(ExportConfig.name) == title)).first()
    if config is None:
        config = ExportConfig(name=title, created_by=actor.id)
    config.file_format, config.scope, config.columns, config.updated_at = file_format, scope, json.dumps(keys), utcnow()
    session.add(config)
    session.flush()
    return config


def delete_config(config_id: int, *, actor: Actor, session: Session) -> None:
    """Forget a configuration."""
    require(actor, "customer.export")
    config = session.get(ExportConfig, config_id)
    if config is not None:
        session.delete(config)
        session.flush()
