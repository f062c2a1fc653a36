"""Console pages of the privacy app (mounted at /console/privacy/): not built yet, see README.md."""
