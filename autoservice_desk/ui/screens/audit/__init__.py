"""The audit log screen: who changed what and when, newest first."""

from autoservice_desk.ui.screens.audit.screen import AuditScreen

__all__ = ["AuditScreen"]
