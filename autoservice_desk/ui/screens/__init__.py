"""One package per screen; the main window hosts them."""
