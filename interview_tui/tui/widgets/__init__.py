"""Reusable widgets: timer, level meter, transcript log, score bars, trend chart."""
