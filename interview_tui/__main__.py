"""`python -m interview_tui` runs the same CLI as the `interview` script."""

from interview_tui.cli import main

main()
