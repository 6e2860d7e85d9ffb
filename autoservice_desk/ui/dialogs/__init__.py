"""Dialogs shared by several screens (login, first run, secrets)."""
