"""Share links found by a hashed random token (with open counts); job heartbeats.

Links made before this revision named only their row id in a signed token; they are revoked,
because a reused id could make such a token open another assessment.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 09:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add share_link.token_hash, last_opened, opens and job.heartbeat; revoke id-only links."""
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("last_opened", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("opens", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_unique_constraint("uq_share_link_token_hash", ["token_hash"])
    op.execute(sa.text("UPDATE share_link SET revoked = :yes").bindparams(yes=True))
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the columns added by upgrade."""
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("heartbeat")
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.drop_constraint("uq_share_link_token_hash", type_="unique")
        batch_op.drop_column("opens")
        batch_op.drop_column("last_opened")
        batch_op.drop_column("token_hash")
