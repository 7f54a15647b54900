"""Storage: files, the status cache and the TinyDB store."""
