"""core.commands package."""
