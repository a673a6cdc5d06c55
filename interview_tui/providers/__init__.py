"""Planner, analyzer and voice providers: protocols here, implementations in sibling modules."""
