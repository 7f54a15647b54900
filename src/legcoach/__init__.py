"""legcoach: should I run today, and how hard? A terminal coach for people who lift legs and run."""

__version__ = "0.1.0"
