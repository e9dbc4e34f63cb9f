"""replies in the outbox, and when a submission was sent and received

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A reply to a stranger, or to someone who has not picked a call yet, belongs to no call.
    with op.batch_alter_table("outboxmessage") as batch:
        batch.alter_column("call_id", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("received_at", models.types.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE submission SET received_at = submitted_at WHERE submitted_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("received_at")
    op.execute("DELETE FROM outboxmessage WHERE call_id IS NULL")
    with op.batch_alter_table("outboxmessage") as batch:
        batch.alter_column("call_id", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
