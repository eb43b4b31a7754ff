"""Icons (SVG, app.png, rendered by make_icons.py); a package so wheels ship them as package data."""
