"""Demo data for open data; called by ``manage.py seed_demo`` after the register. Idempotent."""


def seed() -> dict[str, int]:
    """Create what is missing; return what was made, by name, for the command's summary."""
    return {}
