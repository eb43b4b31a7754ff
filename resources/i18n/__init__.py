"""Translations: .ts sources and built .qm files (build.py); a package so wheels ship them as package data."""
