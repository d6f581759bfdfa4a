"""Models of lantern.publishing."""
