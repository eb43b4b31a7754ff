"""Small reusable widgets: message bar, demo banner, status indicators, JSON viewer, progress strip."""
