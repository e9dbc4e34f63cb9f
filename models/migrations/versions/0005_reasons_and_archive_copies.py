"""the reasons a letter gives; archive copies of what was sent in

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archive_copy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("org_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("receipt_number", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("received_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("made_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"]),
        sa.ForeignKeyConstraint(["org_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id", "revision"),
    )
    with op.batch_alter_table("archive_copy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_copy_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_archive_copy_submission_id"), ["submission_id"], unique=False)

    # Recommendations and decisions made before this give no reasons.
    for table in ("recommendation", "decision"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("reasons", models.types.JSONDocument(), nullable=False, server_default="[]"))


def downgrade() -> None:
    for table in ("decision", "recommendation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("reasons")
    with op.batch_alter_table("archive_copy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_copy_submission_id"))
        batch_op.drop_index(batch_op.f("ix_archive_copy_call_id"))
    op.drop_table("archive_copy")
