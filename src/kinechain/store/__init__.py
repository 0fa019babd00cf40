"""Storage of the clinic app: SQLAlchemy models, repository functions and Alembic migrations."""
