"""core.fxiaoke package."""
