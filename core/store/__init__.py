"""core.store package."""
