"""core.mapping package."""
