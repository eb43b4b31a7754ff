"""core.k3cloud package."""
