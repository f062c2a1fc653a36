"""Console pages of the privacy app (mounted at /console/privacy/)."""
