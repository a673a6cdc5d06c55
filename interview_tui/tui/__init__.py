"""The Textual app. Import it lazily: nothing on the CLI's fast paths may import this package."""
