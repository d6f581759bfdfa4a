"""Models of lantern.library."""
