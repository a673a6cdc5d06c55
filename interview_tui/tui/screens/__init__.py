"""The app's screens: start, setup, live, analysis, report, history, and the modal dialogs."""
