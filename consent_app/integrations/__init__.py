"""Pieces customers run in their own backends. Standard library only."""
