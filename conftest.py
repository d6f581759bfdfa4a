"""Test-wide fixtures: the fixed cast every access test uses."""
