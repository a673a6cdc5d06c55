"""interview-tui: practise a live voice job interview in the terminal.

Nothing is imported eagerly here, so `interview credits …` stays fast.
"""

__version__ = "0.1.0"
