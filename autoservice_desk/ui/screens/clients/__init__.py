"""The Clients screen: find a client as you type, the card beside the list, import and export."""

from autoservice_desk.ui.screens.clients.clients_screen import ClientsScreen

__all__ = ["ClientsScreen"]
