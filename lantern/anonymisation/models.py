"""Models of lantern.anonymisation."""
