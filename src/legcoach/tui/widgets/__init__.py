"""Widgets legcoach adds to Textual's own."""
