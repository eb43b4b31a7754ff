"""core.sync package."""
