"""Packaged resources: icons, translations, style sheets."""
