"""core.sandbox package."""
