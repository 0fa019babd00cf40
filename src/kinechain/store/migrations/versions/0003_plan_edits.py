"""The clinician's plan edits and sign-off, per assessment.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 12:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add assessment.plan_edits (a ``kinechain.plan/1`` document, JSON; NULL: the generated plan)."""
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_edits", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop assessment.plan_edits."""
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("plan_edits")
