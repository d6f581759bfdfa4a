"""Models of lantern.documents."""
